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

    [Fact]
    public void ChordsFromTopWriteEachOnsetOfTheTrainingSongsFromItsHighestToneDown()
    {
        var config = TinyRuns.Config().With("data.synthetic_songs=20");
        var up = TrainingCorpus.Load(config, scaling: null, _ => { });
        var down = TrainingCorpus.Load(config.With("model.chords_from_top=true"), scaling: null, _ => { });

        int chords = 0;
        Assert.Equal(up.Train.Count, down.Train.Count);
        for (int s = 0; s < up.Train.Count; s++)
        {
            var upOnsets = Onsets(up, up.Train[s]);
            var downOnsets = Onsets(down, down.Train[s]);
            Assert.Equal(upOnsets.Select(o => o.Time), downOnsets.Select(o => o.Time));
            for (int o = 0; o < upOnsets.Count; o++)
            {
                Assert.Equal(upOnsets[o].Pitches.Order(), upOnsets[o].Pitches);
                Assert.Equal(upOnsets[o].Pitches.AsEnumerable().Reverse(), downOnsets[o].Pitches);
                if (upOnsets[o].Pitches.Count > 1) chords++;
            }
        }
        Assert.True(chords > 100, $"only {chords} chords in the synthetic songs");
    }

    /// <summary>A scaled song's onsets: the time since the previous onset and the pitches starting there, in the order written.</summary>
    private static List<(double Time, List<int> Pitches)> Onsets(TrainingData data, float[] scaled)
    {
        var song = data.Scaling.Unscale(scaled, data.TonesPerCell);
        var onsets = new List<(double Time, List<int> Pitches)>();
        for (int e = 0; e < song.EventCount; e++)
        {
            var tone = song.Tone(e, 0);
            if (e == 0 || Math.Round(tone.TimeSincePrevious) > 0) onsets.Add((Math.Round(tone.TimeSincePrevious), []));
            onsets[^1].Pitches.Add(CrnnGan.Data.Tuning.FrequencyToPitch(tone.Frequency));
        }
        return onsets;
    }
}
