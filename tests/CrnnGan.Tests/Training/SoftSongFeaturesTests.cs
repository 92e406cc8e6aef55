using CrnnGan.Data;
using CrnnGan.Evaluation;
using CrnnGan.Runtime;
using CrnnGan.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace CrnnGan.Tests.Training;

[Collection(TorchCollection.Name)]
public class SoftSongFeaturesTests
{
    public SoftSongFeaturesTests() => TorchRuntime.EnsureLoaded();

    private static readonly FeatureScaling Scaling = FeatureScaling.Default;
    private static readonly SoftSongFeatures Features = new(1, Scaling);

    /// <summary>Songs of one-tone events with the evaluator's kinds of variety: on or off a sixteenth grid, held
    /// rhythms or not, stepwise or leaping lines, louder or softer.</summary>
    private static EncodedSong[] VariedSongs(int count, int events, int seed)
    {
        var random = new Random(seed);
        var songs = new EncodedSong[count];
        for (int s = 0; s < count; s++)
        {
            double offGrid = random.NextDouble();
            double steady = random.NextDouble();
            int leap = 1 + random.Next(16);
            int pitch = 50 + random.Next(20);
            int velocity = 40 + random.Next(80);
            double ticks = 96;
            var values = new List<float>();
            for (int e = 0; e < events; e++)
            {
                if (random.NextDouble() > steady)
                    ticks = random.NextDouble() < offGrid ? 20 + random.Next(300) : 96 * (1 + random.Next(4));
                pitch = Math.Clamp(pitch + random.Next(-leap, leap + 1), 30, 100);
                values.AddRange([96 * (1 + random.Next(4)), (float)Tuning.PitchToFrequency(pitch), velocity, e == 0 ? 0 : (float)ticks]);
            }
            songs[s] = new EncodedSong(1, values.ToArray());
        }
        return songs;
    }

    private static Tensor Batch(IEnumerable<EncodedSong> songs, int events) =>
        stack(songs.Select(s => tensor(Scaling.Scale(s)).reshape(events, 4)).ToArray());

    private static double Correlation(double[] a, double[] b)
    {
        double ma = a.Average(), mb = b.Average();
        double cov = a.Zip(b).Sum(p => (p.First - ma) * (p.Second - mb));
        return cov / Math.Sqrt(a.Sum(x => (x - ma) * (x - ma)) * b.Sum(y => (y - mb) * (y - mb)));
    }

    [Theory]
    [InlineData("onset_on_16th", "onset_on_16th_share")]
    [InlineData("ioi_log_std", "ioi_log_std")]
    [InlineData("ioi_concentration", "ioi_most_common_share")]
    [InlineData("pitch_mean", "pitch_mean")]
    [InlineData("interval_mean", "interval_mean")]
    [InlineData("interval_repeat", "interval_repeat_share")]
    [InlineData("interval_step", "interval_step_share")]
    [InlineData("interval_wide_leap", "interval_wide_leap_share")]
    [InlineData("unique_tone_share", "unique_tone_share")]
    [InlineData("velocity_mean", "velocity_mean")]
    public void EachSmoothFeatureRisesAndFallsWithTheEvaluatorsExactOne(string soft, string exact)
    {
        const int events = 48;
        var songs = VariedSongs(40, events, seed: 3);
        using var batch = Batch(songs, events);
        using var values = Features.Of(batch);
        int column = SoftSongFeatures.Names.ToList().IndexOf(soft);
        double[] smooth = values[.., column].data<float>().ToArray().Select(v => (double)v).ToArray();
        double[] measured = songs.Select(s => MusicalFeatures.Compute(EventCodec.Decode(s), EventLayout.NormalizedTicksPerQuarter)!
            .Single(f => f.Name == exact).Value).ToArray();

        Assert.Equal(SoftSongFeatures.Names.Count, (int)values.shape[1]);
        Assert.True(Correlation(smooth, measured) > 0.9, $"{soft} against {exact}: correlation {Correlation(smooth, measured):F3}");
    }

    [Fact]
    public void MmdIsNearZeroForSongsLikeTheRealOnesAndGrowsAsTheyDiffer()
    {
        const int events = 32;
        using var real = Features.Of(Batch(VariedSongs(80, events, seed: 1), events));
        using var alike = Features.Of(Batch(VariedSongs(80, events, seed: 2), events));
        var higher = VariedSongs(80, events, seed: 2).Select(s => Transposed(s, 12)).ToArray();
        using var unlike = Features.Of(Batch(higher, events));

        double same = GanLosses.SongFeatureMmd(real, alike).item<float>();
        double differ = GanLosses.SongFeatureMmd(real, unlike).item<float>();
        Assert.True(same < 0.5 * differ, $"alike {same:F4}, an octave higher {differ:F4}");
    }

    [Fact]
    public void DescendingTheMmdMovesGeneratedEventsTowardsTheRealSongs()
    {
        const int events = 32;
        using var real = Features.Of(Batch(VariedSongs(20, events, seed: 1), events));
        var start = Batch(VariedSongs(20, events, seed: 2).Select(s => Transposed(s, 12)), events);
        var fake = new TorchSharp.Modules.Parameter(start.detach());
        var optimizer = torch.optim.Adam([fake], 0.05);
        double first = double.NaN, last = double.NaN;
        for (int step = 0; step < 40; step++)
        {
            optimizer.zero_grad();
            var loss = GanLosses.SongFeatureMmd(real, Features.Of(fake));
            if (step == 0) first = loss.item<float>();
            last = loss.item<float>();
            loss.backward();
            optimizer.step();
        }
        Assert.True(last < 0.5 * first, $"MMD {first:F4} -> {last:F4}");
    }

    private static EncodedSong Transposed(EncodedSong song, int semitones)
    {
        float[] values = (float[])song.Values.Clone();
        for (int i = EventLayout.FrequencyIndex(0); i < values.Length; i += 4)
            values[i] = (float)(values[i] * Math.Pow(2, semitones / 12.0));
        return new EncodedSong(1, values);
    }
}
