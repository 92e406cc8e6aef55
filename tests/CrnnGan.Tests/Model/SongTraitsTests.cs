using CrnnGan.Data;
using CrnnGan.Generation;
using CrnnGan.Model;
using CrnnGan.Runtime;
using CrnnGan.Tests.Training;
using TorchSharp;
using static TorchSharp.torch;

using Generator = CrnnGan.Model.Generator;

namespace CrnnGan.Tests.Model;

/// <summary><c>model.song_traits</c>: G reads each song's pace, articulation, register and dynamics beside its noise.</summary>
[Collection(TorchCollection.Name)]
public class SongTraitsTests
{
    public SongTraitsTests() => TorchRuntime.EnsureLoaded();

    private static readonly FeatureScaling Scaling = FeatureScaling.Default;

    /// <summary>Eight one-tone events: (time since the previous onset, length) in ticks, pitch and velocity.</summary>
    private static Tensor Song(params (int Time, int Length, int Pitch, int Velocity)[] events)
    {
        var values = new float[events.Length * 4];
        for (int e = 0; e < events.Length; e++)
        {
            var (time, length, pitch, velocity) = events[e];
            values[e * 4 + EventLayout.LengthIndex(0)] = Scaling.Length.Forward(length);
            values[e * 4 + EventLayout.FrequencyIndex(0)] = Scaling.Frequency.Forward(FeatureScaling.WarpFrequency(Tuning.PitchToFrequency(pitch)));
            values[e * 4 + EventLayout.IntensityIndex(0)] = Scaling.Intensity.Forward(velocity);
            values[e * 4 + EventLayout.TimeIndex(1)] = Scaling.Time.Forward(time);
        }
        return tensor(values, new long[] { 1, events.Length, 4 });
    }

    [Fact]
    public void ASongsTraitsAreWhatItPlays()
    {
        using var scope = NewDisposeScope();
        // Quarter-note onsets, one of them 16 ticks late (off the sixteenth grid), two tones joining the previous onset;
        // lengths of an eighth and a half note; pitches 60 and 72; velocities 40 and 80.
        var traits = SongTraits.Of(Song((384, 192, 60, 40), (0, 192, 72, 80), (384, 768, 60, 40), (400, 192, 72, 80),
            (0, 768, 60, 40), (384, 192, 72, 80)), Scaling).data<float>().ToArray();
        double[] logTimes = [0, 0, Math.Log2(400 / 384.0), 0];
        double timeMean = logTimes.Average();
        double timeSpread = Math.Sqrt(logTimes.Average(x => (x - timeMean) * (x - timeMean)));
        double[] logLengths = [-1, -1, 1, -1, 1, -1];
        double lengthMean = logLengths.Average();
        double lengthSpread = Math.Sqrt(logLengths.Average(x => (x - lengthMean) * (x - lengthMean)));
        double octave = Scaling.Frequency.Forward(FeatureScaling.WarpFrequency(Tuning.PitchToFrequency(72)))
                        - Scaling.Frequency.Forward(FeatureScaling.WarpFrequency(Tuning.PitchToFrequency(60)));
        double[] expected = [2 / 6.0, timeMean, timeSpread, 3 / 4.0, lengthMean, lengthSpread, double.NaN, octave / 2, 60 / 127.0, 20 / 127.0];
        Assert.Equal(SongTraits.Count, traits.Length);
        for (int i = 0; i < expected.Length; i++)
            if (!double.IsNaN(expected[i])) Assert.True(Math.Abs(traits[i] - expected[i]) < 1e-4, $"trait {i}: {traits[i]}, expected {expected[i]}");
    }

    [Fact]
    public void WithKeyTraitsTheyAddTheShareOfEachPitchClass()
    {
        using var scope = NewDisposeScope();
        // C E G C' and a B below: C 2/5, E 1/5, G 1/5, B 1/5.
        var song = Song((384, 192, 60, 80), (384, 192, 64, 80), (384, 192, 67, 80), (384, 192, 72, 80), (384, 192, 59, 80));
        var plain = SongTraits.Of(song, Scaling).data<float>().ToArray();
        var withKey = SongTraits.Of(song, Scaling, key: true).data<float>().ToArray();
        Assert.Equal(SongTraits.CountFor(key: true), withKey.Length);
        Assert.Equal(plain, withKey[..SongTraits.Count]);
        double[] shares = new double[12];
        (shares[0], shares[4], shares[7], shares[11]) = (0.4, 0.2, 0.2, 0.2);
        for (int c = 0; c < 12; c++) Assert.True(Math.Abs(withKey[SongTraits.Count + c] - shares[c]) < 1e-5, $"pitch class {c}: {withKey[SongTraits.Count + c]}");
        var error = Assert.Throws<CrnnGan.Training.SettingException>(() => TinyRuns.Config().With("model.song_key_traits=true").Validate());
        Assert.Equal("model.song_key_traits", error.Key);
    }

    [Fact]
    public void WithLineTraitsTheyAddTheTopLinesRepeatsStepsAndLeapsBeforeTheKey()
    {
        using var scope = NewDisposeScope();
        // Onsets with top tones 67 (a chord from 60 up), 67, 69, 76 (over a 60), 62: a repeat, a step, a leap of a
        // fifth and a fall of 14 semitones (over an octave: none of the three).
        var song = Song((384, 192, 60, 80), (0, 192, 64, 80), (0, 192, 67, 80), (384, 192, 67, 80), (384, 192, 69, 80),
            (384, 192, 60, 80), (0, 192, 76, 80), (384, 192, 62, 80));
        var plain = SongTraits.Of(song, Scaling).data<float>().ToArray();
        var withKey = SongTraits.Of(song, Scaling, key: true).data<float>().ToArray();
        var both = SongTraits.Of(song, Scaling, key: true, line: true).data<float>().ToArray();
        Assert.Equal(SongTraits.CountFor(key: true, line: true), both.Length);
        Assert.Equal(plain, both[..SongTraits.Count]);
        Assert.Equal([0.25f, 0.25f, 0.25f], both[SongTraits.Count..(SongTraits.Count + SongTraits.LineCount)]);
        Assert.Equal(withKey[SongTraits.Count..], both[(SongTraits.Count + SongTraits.LineCount)..]); // the key prior reads the last 12
        var error = Assert.Throws<CrnnGan.Training.SettingException>(() => TinyRuns.Config().With("model.song_line_traits=true").Validate());
        Assert.Equal("model.song_line_traits", error.Key);
    }

    /// <summary>Half the songs move by steps of 1-2 semitones, half by leaps of 5-9. Pretrained with line traits, G
    /// given a stepping window's traits steps from its first note, given a leaping one's it leaps; drawing its own, both.</summary>
    [Fact]
    public void PretrainedOnSteppingAndLeapingSongsGMovesAsItsLineTraitsSay()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(5);
        var g = new Generator(new ModelConfig(4, Hidden: 24, Layers: 2, Dropout: 0, PitchChoice: true, TimeChoiceGrid: 96, LengthChoiceGrid: 96,
            SongTraits: true, SongLineTraits: true, PitchIntervals: 12), Scaling);
        var random = new Random(6);
        Tensor Songs(int songs, bool? leaping = null)
        {
            var pitches = new long[songs, 12];
            for (int s = 0; s < songs; s++)
            {
                bool leaps = leaping ?? random.Next(2) == 0;
                pitches[s, 0] = 55 + random.Next(12);
                for (int e = 1; e < 12; e++)
                {
                    long before = pitches[s, e - 1], jump = leaps ? random.Next(5, 10) : random.Next(1, 3);
                    bool up = before < 56 || (before <= 70 && random.Next(2) == 0);
                    pitches[s, e] = before + (up ? jump : -jump);
                }
            }
            return ChoiceHeadTests.EighthNotes(tensor(pitches), Scaling);
        }
        g.SetSongTraits(Songs(256));
        ChoicePretraining.Steps(g, optim.Adam(g.parameters(), lr: 0.01), () => g.Choices!.WithChoices(Songs(16)), 250);

        using var noGrad = no_grad();
        g.eval();
        double SteppingShare(Tensor? traits)
        {
            var songs = SongSampler.Sample(g, Scaling, 1, 40, 12, songTraits: traits?.expand(40, -1)).Where(s => s.Notes.Count > 2).ToList();
            return songs.Count(s => Median(s.Notes.Zip(s.Notes.Skip(1), (a, b) => (double)Math.Abs(b.Pitch - a.Pitch))) <= 2) / 40.0;
        }
        double stepping = SteppingShare(g.SongTraitsOf(Songs(1, leaping: false))), leaping = SteppingShare(g.SongTraitsOf(Songs(1, leaping: true)));
        double own = SteppingShare(null);
        Assert.True(stepping > 0.9, $"stepping songs given a stepping song's traits: {stepping:P0} (leaping {leaping:P0}, its own {own:P0})");
        Assert.True(leaping < 0.1, $"stepping songs given a leaping song's traits: {leaping:P0}");
        Assert.True(own is > 0.2 and < 0.8, $"stepping songs with traits of its own: {own:P0}");
    }

    [Fact]
    public void GNormalisesTraitsByItsTablesMomentsAndKeepsTheTableInItsFile()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(4);
        var config = TinyRuns.Config().With("model.pitch_class_head=false", "model.song_noise=0", "model.song_velocity=false",
            "model.fixed_velocity_spread=false", "model.song_traits=true", "model.hidden=9");
        using var g = new Generator(config.Networks, Scaling);
        // Four windows, each repeated 256 times in the table: their traits normalised have mean 0 and spread 1.
        var windows = cat([Song((192, 192, 60, 80), (192, 96, 62, 80), (0, 192, 67, 80), (192, 192, 64, 90)),
            Song((768, 768, 48, 40), (768, 700, 55, 50), (768, 768, 52, 40), (768, 768, 48, 45)),
            Song((96, 48, 72, 100), (100, 48, 74, 100), (96, 48, 76, 100), (0, 48, 79, 110)),
            Song((384, 384, 60, 64), (384, 384, 60, 64), (384, 384, 60, 64), (384, 384, 60, 64))], dim: 0);
        g.SetSongTraits(windows);
        var normalised = g.SongTraitsOf(windows.repeat(SongTraits.TableRows / 4, 1, 1));
        Assert.True(normalised.mean([0L]).abs().max().item<float>() < 1e-4);
        Assert.True((normalised.std(0) - 1).abs().max().item<float>() < 1e-3);

        string folder = Directory.CreateTempSubdirectory("crnngan-traits").FullName;
        try
        {
            foreach (bool half in new[] { false, true })
            {
                string path = Path.Combine(folder, $"g{half}.bin");
                GeneratorFile.Save(path, g, new GeneratorFileHeader { Config = config, ScalingJson = Scaling.ToJson(), EpochsTrained = 1, HalfPrecision = half });
                var (_, loaded) = GeneratorFile.Load(path);
                using (loaded)
                {
                    var again = loaded.SongTraitsOf(windows);
                    Assert.True((again - g.SongTraitsOf(windows)).abs().max().item<float>() < (half ? 0.05 : 1e-6), $"half precision {half}");
                    if (half) continue;
                    torch.manual_seed(2);
                    var before = SongSampler.Sample(g, Scaling, 1, 3, 16).SelectMany(s => s.Notes).ToList();
                    torch.manual_seed(2);
                    var after = SongSampler.Sample(loaded, Scaling, 1, 3, 16).SelectMany(s => s.Notes).ToList();
                    Assert.Equal(before, after);
                }
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void ItNeedsOneTonePerEventAndIsRefusedByNameOtherwise()
    {
        var error = Assert.Throws<CrnnGan.Training.SettingException>(() =>
            TinyRuns.Config().With("model.song_traits=true", "model.tones_per_cell=3").Validate());
        Assert.Equal("model.song_traits", error.Key);
    }

    [Fact]
    public void ATrainingRunFillsTheTableFromItsTrainingWindows()
    {
        var config = TinyRuns.Config().With("model.pitch_class_head=false", "model.song_noise=0", "model.song_velocity=false",
            "model.fixed_velocity_spread=false", "model.song_traits=true");
        var data = TinyRuns.Data(config);
        using var step = new CrnnGan.Training.GanStep(config, data, torch.CPU, fresh: true);
        using var windows = data.TraitWindows(config.Length, config.Seed);
        Assert.Equal(new long[] { SongTraits.TableRows, config.Length, 4 }, windows.shape);
        // Drawn from the table, a batch's traits are rows of the windows' traits, normalised.
        using var all = step.Generator.SongTraitsOf(windows);
        torch.manual_seed(1);
        using var draws = NewDisposeScope();
        var randoms = step.Generator.DrawRandoms(50, 3);
        var drawn = randoms.Noise[.., 0, ^SongTraits.Count..];
        for (int song = 0; song < 50; song++)
            Assert.True((all - drawn[song]).abs().sum(1).min().item<float>() < 1e-4, $"song {song}'s traits are no window's");
        int distinct = Enumerable.Range(0, 50).Select(song => string.Join(",", drawn[song].data<float>().ToArray())).Distinct().Count();
        Assert.True(distinct > 10, $"50 songs drew {distinct} distinct rows of traits");
    }

    /// <summary>Half the songs are fast and detached (eighth-note onsets, sixteenth-note tones), half slow and held (half
    /// notes). Pretrained with song traits, G given a fast window's traits writes fast songs and given a slow one's
    /// slow songs; drawing its own, it writes both.</summary>
    [Fact]
    public void PretrainedOnFastAndSlowSongsGPlaysThePaceItsTraitsSay()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(3);
        var g = new Generator(new ModelConfig(4, Hidden: 24, Layers: 2, Dropout: 0, PitchChoice: true, TimeChoiceGrid: 96, LengthChoiceGrid: 96,
            SongTraits: true), Scaling);
        var random = new Random(4);
        Tensor Songs(int songs)
        {
            var events = ChoiceHeadTests.EighthNotes(randint(60, 65, [songs, 12]), Scaling);
            for (int s = 0; s < songs; s++)
            {
                bool fast = random.Next(2) == 0;
                events[s, .., EventLayout.TimeIndex(1)] = Scaling.Time.Forward(fast ? 192 : 768);
                events[s, .., EventLayout.LengthIndex(0)] = Scaling.Length.Forward(fast ? 96 : 768);
            }
            return events;
        }
        var fastWindow = Songs(64)[..1];
        while (Math.Abs(fastWindow[0, 0, EventLayout.TimeIndex(1)].item<float>() - Scaling.Time.Forward(192)) > 1e-6) fastWindow = Songs(1);
        var slowWindow = Songs(1);
        while (Math.Abs(slowWindow[0, 0, EventLayout.TimeIndex(1)].item<float>() - Scaling.Time.Forward(768)) > 1e-6) slowWindow = Songs(1);
        g.SetSongTraits(Songs(256));
        ChoicePretraining.Steps(g, optim.Adam(g.parameters(), lr: 0.01), () => g.Choices!.WithChoices(Songs(16)), 250);

        using var noGrad = no_grad();
        g.eval();
        double FastShare(Tensor? traits)
        {
            var songs = SongSampler.Sample(g, Scaling, 1, 40, 12, songTraits: traits?.expand(40, -1)).Where(s => s.Notes.Count > 1).ToList();
            return songs.Count(s => Median(s.Notes.Zip(s.Notes.Skip(1), (a, b) => (double)(b.StartTick - a.StartTick))) < 384) / 40.0;
        }
        double fast = FastShare(g.SongTraitsOf(fastWindow)), slow = FastShare(g.SongTraitsOf(slowWindow)), own = FastShare(null);
        Assert.True(fast > 0.9, $"fast songs given fast traits: {fast:P0}");
        Assert.True(slow < 0.1, $"fast songs given slow traits: {slow:P0}");
        Assert.True(own is > 0.2 and < 0.8, $"fast songs with traits of its own: {own:P0}");
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[sorted.Length / 2];
    }
}
