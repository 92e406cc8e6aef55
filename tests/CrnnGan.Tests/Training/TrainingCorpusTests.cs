using CrnnGan.Midi;
using CrnnGan.Training;

namespace CrnnGan.Tests.Training;

/// <summary>A run's songs as <see cref="TrainingCorpus"/> loads them from its settings.</summary>
public class TrainingCorpusTests
{
    [Fact]
    public void WithoutAFolderTheSyntheticCorpusIsSplitByTheValidationFraction()
    {
        var config = TinyRuns.Config().With("data.synthetic_songs=40", "data.validation_fraction=0.25");
        var said = new List<string>();
        var data = TrainingCorpus.Load(config, scaling: null, said.Add);

        Assert.Equal(10, data.Validation.Count);
        Assert.Equal(30, data.Train.Count + data.TooShort);
        Assert.Equal([$"data: built-in synthetic corpus: {data.Train.Count} training and 10 validation songs ({data.TooShort} shorter than 16 events left out)"], said);
    }

    [Fact]
    public void AFolderIsSplitAsTheSettingsSayAndOneWithoutMusicIsRefused()
    {
        string folder = TinyRuns.NewFolder();
        Directory.CreateDirectory(folder);
        var random = new Random(3);
        for (int i = 0; i < 10; i++)
        {
            long tick = 0;
            var notes = Enumerable.Range(0, 30).Select(_ => new Note(tick += 192, 192, random.Next(50, 80), 90)).ToArray();
            MidiFileWriter.Write(Path.Combine(folder, $"song-{i}.mid"), notes);
        }
        var config = TinyRuns.Config().With($"data.path=\"{folder}\"", "data.validation_fraction=0.2", "data.test_fraction=0.2");
        var said = new List<string>();
        var data = TrainingCorpus.Load(config, scaling: null, said.Add);

        Assert.Equal((6, 2), (data.Train.Count, data.Validation.Count));
        Assert.StartsWith("data: 10 songs (0 duplicates dropped, 0 unreadable); split 6 train / 2 validation / 2 test", said.Single());

        string empty = TinyRuns.NewFolder();
        Directory.CreateDirectory(empty);
        var error = Assert.Throws<InvalidDataException>(() => TrainingCorpus.Load(config.With($"data.path=\"{empty}\""), null, said.Add));
        Assert.Equal($"{empty}: no MIDI files (.mid, .midi, .kar, .rmi) found", error.Message);
    }
}
