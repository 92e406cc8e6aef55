using CrnnGan.Evaluation;
using CrnnGan.Training;

namespace CrnnGan.Tests.Reports;

/// <summary>Hand-made epochs and references, so chart and report tests need no training.</summary>
internal static class RunFixtures
{
    public static EpochRecord Epoch(int epoch, TrainingPhase phase, double toneSpan, double scaleConsistency = 0.9, int length = 12) => new()
    {
        Epoch = epoch,
        Phase = phase,
        Length = length,
        Batches = 4,
        GeneratorLoss = phase == TrainingPhase.Pretraining ? double.NaN : 0.7 + 0.01 * epoch,
        DiscriminatorLoss = phase == TrainingPhase.Pretraining ? double.NaN : 1.38 - 0.01 * epoch,
        MseLoss = phase == TrainingPhase.Pretraining ? 1.0 / epoch : double.NaN,
        ValidationMse = 1.1 / epoch,
        LearningRate = 0.001,
        Seconds = 1.5,
        EventsPerSecond = 1000,
        SampledSongs = 20,
        SongsWithNotes = 20,
        Statistics = new Dictionary<string, double>
        {
            ["tone_span"] = toneSpan,
            ["unique_tones"] = toneSpan / 2 + 1,
            ["scale_consistency"] = scaleConsistency,
            ["polyphony"] = 0.1,
            ["intensity_span"] = 12,
            ["repetitions_3"] = 2.5,
        },
    };

    /// <summary>Two pretraining epochs then <paramref name="adversarial"/> adversarial ones.</summary>
    public static List<EpochRecord> History(int adversarial = 3, double firstSpan = 4) =>
    [
        Epoch(1, TrainingPhase.Pretraining, firstSpan),
        Epoch(2, TrainingPhase.Pretraining, firstSpan + 1),
        .. Enumerable.Range(3, adversarial).Select(e => Epoch(e, TrainingPhase.Adversarial, firstSpan + e)),
    ];

    public static ReferenceStatistics Reference(double toneSpan = 20, int events = 12) => new(
        "hand-made", Songs: 3, SongsWithWindows: 3, Windows: 6, WindowsWithNotes: 6, EventsPerWindow: events, TonesPerCell: 1,
        new Dictionary<string, double>
        {
            ["tone_span"] = toneSpan,
            ["unique_tones"] = 9,
            ["scale_consistency"] = 0.95,
            ["polyphony"] = 0.3,
            ["intensity_span"] = 30,
            ["repetitions_3"] = 1.5,
        });

    /// <summary>A run folder with stats.csv and, if given, reference_stats.json, as train leaves them.</summary>
    public static string WriteRun(string folder, IReadOnlyList<EpochRecord> history, ReferenceStatistics? reference)
    {
        Directory.CreateDirectory(folder);
        StatsCsv.Write(Path.Combine(folder, RunFolderLayout.StatsFileName), history);
        reference?.Save(Path.Combine(folder, ReferenceStatistics.FileName));
        return folder;
    }
}
