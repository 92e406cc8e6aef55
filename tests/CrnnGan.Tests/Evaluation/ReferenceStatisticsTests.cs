using CrnnGan.Data;
using CrnnGan.Evaluation;
using CrnnGan.Midi;
using CrnnGan.Training;

namespace CrnnGan.Tests.Evaluation;

public sealed class ReferenceStatisticsTests
{
    // Cut into windows of 2 events: A gives [60 62] and [64 65]; B gives [60 60] and drops its third note; C is too short.
    // Tone spans 2, 1, 0 (mean 1); unique tones 2, 2, 1 (mean 5/3); 2-tone repetitions 0, 0, 0; all in C major.
    private static readonly MidiSong[] Songs =
    [
        Song("A", 60, 62, 64, 65),
        Song("B", 60, 60, 67),
        Song("C", 72),
    ];

    [Fact]
    public void FromSongs_AveragesOverNonOverlappingWindows()
    {
        var reference = ReferenceStatistics.FromSongs("hand-made", Songs, tonesPerCell: 1, eventsPerWindow: 2);

        AssertHandComputed(reference);
        Assert.Equal(3, reference.Songs);
        Assert.Equal(2, reference.SongsWithWindows);
    }

    [Fact]
    public void FromTrainingData_DecodesTheScaledTrainingSongsBackToTheSameNotes()
    {
        var data = TrainingData.FromSongs("hand-made", Songs, [], tonesPerCell: 1, minEvents: 2);

        var reference = TrainingReference.Compute(data, eventsPerWindow: 2);

        AssertHandComputed(reference);
        Assert.Equal(2, reference.Songs); // C, shorter than one window, is not a training song
    }

    [Fact]
    public void SaveAndLoad_RoundTrip_AndAMissingFileIsNull()
    {
        using var folder = new CrnnGan.Tests.Cli.TempFolder();
        string path = Path.Combine(folder.Path, ReferenceStatistics.FileName);
        var reference = ReferenceStatistics.FromSongs("hand-made", Songs, 1, 2);

        reference.Save(path);
        var loaded = ReferenceStatistics.Load(path)!;

        Assert.Equal(reference with { Means = loaded.Means }, loaded);
        Assert.Equal(reference.Means.OrderBy(m => m.Key), loaded.Means.OrderBy(m => m.Key));
        Assert.Contains("\"events_per_window\": 2", File.ReadAllText(path));
        Assert.Null(ReferenceStatistics.Load(Path.Combine(folder.Path, "missing.json")));
    }

    [Fact]
    public void Load_OfABrokenFile_SaysWhichFile()
    {
        using var folder = new CrnnGan.Tests.Cli.TempFolder();
        string path = Path.Combine(folder.Path, ReferenceStatistics.FileName);
        File.WriteAllText(path, "{ not json");

        var error = Assert.Throws<InvalidDataException>(() => ReferenceStatistics.Load(path));
        Assert.Contains(path, error.Message);
    }

    private static void AssertHandComputed(ReferenceStatistics reference)
    {
        Assert.Equal(3, reference.Windows);
        Assert.Equal(3, reference.WindowsWithNotes);
        Assert.Equal(2, reference.EventsPerWindow);
        Assert.Equal(1.0, reference.Means["tone_span"], 9);
        Assert.Equal(5.0 / 3, reference.Means["unique_tones"], 9);
        Assert.Equal(2.0, reference.Means["num_tones"], 9);
        Assert.Equal(0.0, reference.Means["repetitions_2"], 9);
        Assert.Equal(1.0, reference.Means["scale_consistency"], 9);
        Assert.Equal(0.0, reference.Means["polyphony"], 9);
    }

    private static MidiSong Song(string name, params int[] pitches) =>
        new(name, 1, TestSongs.Beat, TestSongs.Melody(pitches), [], []);
}
