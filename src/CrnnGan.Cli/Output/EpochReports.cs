using CrnnGan.Evaluation;
using CrnnGan.Reports;
using CrnnGan.Training;
using Spectre.Console;

namespace CrnnGan.Cli.Output;

/// <summary>
/// After every epoch of <c>train</c>: redraws figure3.png and losses.png in the run folder (every
/// <c>run.plot_every</c> epochs and after the last) and, with --tensorboard, adds the epoch to the TensorBoard log. A failure of either warns once and stops only that report, never training.
/// </summary>
public sealed class EpochReports : IDisposable
{
    private readonly IAnsiConsole _console;
    private readonly GanTrainer _trainer;
    private readonly ReferenceStatistics? _reference;
    private TrainingTensorBoardLog? _tensorBoard;
    private bool _drawing = true;

    public EpochReports(IAnsiConsole console, GanTrainer trainer, string? tensorBoardFolder)
    {
        _console = console;
        _trainer = trainer;
        _reference = TryLoadReference(trainer.RunFolder);
        if (RunPlots.FontProblem() is string problem)
            console.WriteLine($"warning: {problem}");
        if (tensorBoardFolder is not null)
        {
            _tensorBoard = new TrainingTensorBoardLog(tensorBoardFolder);
            console.WriteLine($"TensorBoard log: {_tensorBoard.FilePath} (view with: tensorboard --logdir {tensorBoardFolder})");
        }
        trainer.EpochCompleted += OnEpochCompleted;
    }

    private void OnEpochCompleted(EpochRecord record)
    {
        if (_drawing && IsPlotEpoch(record.Epoch, _trainer.Config.Run))
        {
            try
            {
                RunPlots.Write(_trainer.RunFolder, new RunSeries(Path.GetFileName(_trainer.RunFolder), _trainer.History, _reference));
            }
            catch (Exception e)
            {
                _drawing = false;
                Warn($"could not draw the run's pictures ({e.Message}); training goes on without them");
            }
        }
        if (_tensorBoard is not null)
        {
            try
            {
                _tensorBoard.Add(record);
            }
            catch (Exception e)
            {
                _tensorBoard.Dispose();
                _tensorBoard = null;
                Warn($"could not write the TensorBoard log ({e.Message}); training goes on without it");
            }
        }
    }

    private static bool IsPlotEpoch(int epoch, RunSettings run) =>
        epoch == run.Epochs || (run.PlotEvery > 0 && epoch % run.PlotEvery == 0);

    private ReferenceStatistics? TryLoadReference(string folder)
    {
        try
        {
            return ReferenceStatistics.Load(Path.Combine(folder, ReferenceStatistics.FileName));
        }
        catch (InvalidDataException e)
        {
            Warn($"{e.Message}; the pictures show no real-music lines");
            return null;
        }
    }

    private void Warn(string message) => _console.WriteLine($"warning: {message}");

    public void Dispose()
    {
        _trainer.EpochCompleted -= OnEpochCompleted;
        _tensorBoard?.Dispose();
    }
}
