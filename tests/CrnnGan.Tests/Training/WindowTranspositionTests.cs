using CrnnGan.Data;
using CrnnGan.Midi;
using CrnnGan.Runtime;
using CrnnGan.Training;

namespace CrnnGan.Tests.Training;

[Collection(TorchCollection.Name)]
public class WindowTranspositionTests
{
    private static readonly FeatureScaling Scaling = FeatureScaling.Default;

    public WindowTranspositionTests() => TorchRuntime.EnsureLoaded();

    /// <summary>Scaled events of <paramref name="tonesPerCell"/> tones: each event's pitches (0 = an empty tone), with
    /// lengths, velocities and times that differ from event to event.</summary>
    private static float[] Window(int tonesPerCell, params int[][] pitches)
    {
        int features = EventLayout.FeatureCount(tonesPerCell);
        var values = new float[pitches.Length * features];
        for (int e = 0; e < pitches.Length; e++)
        {
            for (int tone = 0; tone < tonesPerCell; tone++)
            {
                int pitch = pitches[e][tone];
                if (pitch == 0) continue;
                values[e * features + EventLayout.LengthIndex(tone)] = 100 + 10 * e;
                values[e * features + EventLayout.FrequencyIndex(tone)] = (float)Tuning.PitchToFrequency(pitch);
                values[e * features + EventLayout.IntensityIndex(tone)] = 40 + e;
            }
            values[e * features + EventLayout.TimeIndex(tonesPerCell)] = 96 * e;
        }
        Scaling.ScaleInPlace(values, tonesPerCell);
        return values;
    }

    /// <summary>Each event's pitches (0 for an empty tone) of a scaled window.</summary>
    private static int[][] Pitches(float[] scaled, int tonesPerCell)
    {
        var values = (float[])scaled.Clone();
        Scaling.UnscaleInPlace(values, tonesPerCell);
        int features = EventLayout.FeatureCount(tonesPerCell);
        return Enumerable.Range(0, values.Length / features)
            .Select(e => Enumerable.Range(0, tonesPerCell)
                .Select(tone => PitchOf(values[e * features + EventLayout.FrequencyIndex(tone)]))
                .ToArray())
            .ToArray();

        static int PitchOf(float hz) => hz < 0.01 ? 0 : Tuning.FrequencyToPitch(hz);
    }

    [Fact]
    public void MovingAWindowMovesEveryToneByTheSemitonesAndNothingElse()
    {
        var window = Window(3, [60, 64, 67], [62, 0, 0], [48, 55, 0]);
        var moved = (float[])window.Clone();

        new WindowTransposition(6, Scaling, 3).Move(moved, -5);

        Assert.Equal(new int[][] { [55, 59, 62], [57, 0, 0], [43, 50, 0] }, Pitches(moved, 3));
        int features = EventLayout.FeatureCount(3);
        for (int i = 0; i < window.Length; i++)
            if (i % features is not (1 or 4 or 7)) // the three frequencies
                Assert.Equal(window[i], moved[i]);
    }

    [Fact]
    public void DrawnMovesCoverTheRangeBothWays_AndStayWithinMidisPitches()
    {
        var transposition = new WindowTransposition(4, Scaling, 1);
        var random = new Random(3);
        var seen = new HashSet<int>();
        for (int draw = 0; draw < 300; draw++)
        {
            var window = Window(1, [60], [72], [65]);
            int move = transposition.Apply(window, random);
            seen.Add(move);
            Assert.Equal(new[] { 60 + move, 72 + move, 65 + move }, Pitches(window, 1).Select(p => p[0]));
        }
        Assert.Equal(Enumerable.Range(-4, 9), seen.Order());

        for (int draw = 0; draw < 100; draw++)
        {
            var high = Window(1, [125], [120]);
            int move = transposition.Apply(high, random);
            Assert.InRange(move, -4, 2);
            Assert.Equal((120 + move, 125 + move), transposition.PitchRange(high));
        }
    }

    [Fact]
    public void TheBatcherMovesWholeWindows_TheSameWayForTheSameSeedAndEpoch()
    {
        // Windows as long as the songs: both batchers take the same windows, one of them moved.
        var songs = Enumerable.Range(0, 6).Select(s => Window(1, Enumerable.Range(0, 40).Select(e => new[] { 50 + (s + e * 5) % 24 }).ToArray())).ToList();
        int features = EventLayout.FeatureCount(1);
        var plain = new WindowBatcher(songs, features, batch: 3, seed: 7);
        var moving = new WindowBatcher(songs, features, batch: 3, seed: 7, transposition: new WindowTransposition(6, Scaling, 1));
        var again = new WindowBatcher(songs, features, batch: 3, seed: 7, transposition: new WindowTransposition(6, Scaling, 1));

        var moves = new List<int>();
        foreach (var (a, b, c) in plain.Epoch(2, 40, TorchSharp.torch.CPU).Zip(moving.Epoch(2, 40, TorchSharp.torch.CPU), again.Epoch(2, 40, TorchSharp.torch.CPU)))
        {
            Assert.Equal(b.data<float>().ToArray(), c.data<float>().ToArray());
            var plainWindows = a.data<float>().ToArray().Chunk(40 * features).ToList();
            var movedWindows = b.data<float>().ToArray().Chunk(40 * features).ToList();
            for (int w = 0; w < plainWindows.Count; w++)
            {
                var before = Pitches(plainWindows[w], 1).Select(p => p[0]).ToArray();
                var after = Pitches(movedWindows[w], 1).Select(p => p[0]).ToArray();
                int move = after[0] - before[0];
                Assert.All(before.Zip(after), pair => Assert.Equal(move, pair.Second - pair.First));
                moves.Add(move);
            }
            a.Dispose(); b.Dispose(); c.Dispose();
        }
        Assert.Contains(moves, m => m != 0);
        Assert.All(moves, m => Assert.InRange(m, -6, 6));
    }

    [Theory]
    [InlineData("data.transpose=13")]
    [InlineData("data.transpose=-1")]
    public void ATransposeOutOfRangeIsRefusedByName(string setting)
    {
        var error = Assert.Throws<SettingException>(() => Presets.Resolve("crnngan", [setting]));
        Assert.Contains("data.transpose", error.Message);
    }
}
