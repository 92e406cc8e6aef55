using CrnnGan.Evaluation;
using CrnnGan.IO.TensorBoard;
using CrnnGan.Training;

namespace CrnnGan.Reports;

/// <summary>A training run's TensorBoard log: one event per epoch (the epoch number is the step) with its losses and mean statistics.</summary>
public sealed class TrainingTensorBoardLog(string folder) : IDisposable
{
    private readonly TensorBoardWriter _writer = new(folder);

    public string FilePath => _writer.FilePath;

    public void Add(EpochRecord record) => _writer.AddScalars(record.Epoch, Scalars(record));

    /// <summary>Tags and values of an epoch; NaN ones (e.g. G's loss while pretraining) are dropped by the writer.</summary>
    public static IEnumerable<(string Tag, double Value)> Scalars(EpochRecord record)
    {
        yield return ("loss/g", record.GeneratorLoss);
        yield return ("loss/d", record.DiscriminatorLoss);
        yield return ("loss/fm", record.FeatureMatchingLoss);
        yield return ("loss/mse", record.MseLoss);
        yield return ("val/mse", record.ValidationMse);
        yield return ("val/g", record.ValidationGeneratorLoss);
        yield return ("val/d", record.ValidationDiscriminatorLoss);
        yield return ("train/learning_rate", record.LearningRate);
        yield return ("train/d_frozen", record.DiscriminatorFrozen);
        yield return ("train/g_frozen", record.GeneratorFrozen);
        yield return ("train/events_per_second", record.EventsPerSecond);
        foreach (string name in StatisticDefinitions.Names)
        {
            if (record.Statistics.TryGetValue(name, out double value))
                yield return ($"stats/{name}", value);
        }
    }

    public void Dispose() => _writer.Dispose();
}
