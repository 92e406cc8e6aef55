using CrnnGan.Cli;
using CrnnGan.Evaluation;
using CrnnGan.Reports;
using CrnnGan.Tests.Reports;

namespace CrnnGan.Tests.Cli;

[Collection(TorchCollection.Name)]
public sealed class TrainReportsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Train_LeavesFigure3LossesAndTheReference_AndTensorBoardGetsEveryEpoch_AndGenerateDrawsPianoRolls()
    {
        string run = Path.Combine(_folder.Path, "run");
        string tensorBoard = Path.Combine(_folder.Path, "tb");

        var result = CliRunner.Run(TrainAndGenerateCommandTests.Tiny("train", "--out", run, "--tensorboard", tensorBoard));

        Assert.True(result.ExitCode == ExitCodes.Success, $"exit {result.ExitCode}: {result.Error}");
        Assert.DoesNotContain("warning", result.Output);
        Assert.Matches(@"real-music reference: \d+ windows of 12 events from \d+ training songs", result.Output);
        PngAssert.IsPng(Path.Combine(run, RunPlots.Figure3FileName), 1200, 800);
        PngAssert.IsPng(Path.Combine(run, RunPlots.LossesFileName), 1200, 800);
        var reference = ReferenceStatistics.Load(Path.Combine(run, ReferenceStatistics.FileName))!;
        Assert.Equal(12, reference.EventsPerWindow);
        Assert.True(reference.WindowsWithNotes > 0);
        Assert.InRange(reference.Means["scale_consistency"], 0.5, 1.0);
        string events = Assert.Single(Directory.GetFiles(tensorBoard, "events.out.tfevents.*"));
        Assert.True(new FileInfo(events).Length > 200, "the TensorBoard file holds less than two epochs");

        string generated = Path.Combine(_folder.Path, "generated");
        var generate = CliRunner.Run("generate", "--model", run, "--count", "2", "--seed", "5", "--out", generated, "--pianoroll");

        Assert.True(generate.ExitCode == ExitCodes.Success, $"exit {generate.ExitCode}: {generate.Error}");
        Assert.Contains("each with a piano roll", generate.Output);
        foreach (string song in new[] { "song-5-001", "song-5-002" })
        {
            Assert.True(File.Exists(Path.Combine(generated, song + ".mid")));
            var (width, height) = PngAssert.Size(File.ReadAllBytes(Path.Combine(generated, song + ".png")));
            Assert.InRange(width, 1000, 2400); // wider for longer songs
            Assert.Equal(PianoRollChart.DefaultHeight, height);
        }
    }
}
