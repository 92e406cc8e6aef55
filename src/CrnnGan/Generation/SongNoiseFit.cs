using CrnnGan.Data;
using static TorchSharp.torch;

using Generator = CrnnGan.Model.Generator;

namespace CrnnGan.Generation;

/// <summary>
/// Song noise chosen to fit a prime. A G trained adversarially may hardly use the events it reads (the bundled model,
/// teacher forced over real music, predicts the next pitch worse than the mean does), so reading a prime leaves its key
/// and register to its noise. Of several draws of each song's song noise, this keeps the one under which G, teacher
/// forced over the prime, best predicts the prime's pitches: the mean squared error of its frequency and pitch-class
/// outputs against each prime event's, from the events before it (all but the first, which follows a random
/// "previous event"). The error of whole events, dominated by times and lengths, fitted the register less and the key
/// not at all (docs/log/2026-12-05-continuation.md).
/// </summary>
public static class SongNoiseFit
{
    /// <summary>Songs x candidates teacher forced at once at most: bounds the memory of a fit of many songs.</summary>
    private const int MaxRowsAtOnce = 4096;

    /// <param name="prime">(1, events, G's outputs), scaled, with pitch classes where G has a pitch-class head.</param>
    /// <returns>(count, song noise size): each song's best draw of <paramref name="candidates"/>.</returns>
    public static Tensor Best(Generator generator, Tensor prime, int count, int candidates)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(candidates, 1);
        if (generator.Config.SongNoiseSize == 0) throw new ArgumentException("G has no song noise to fit (model.song_noise is 0)", nameof(generator));
        using var scope = NewDisposeScope();
        var columns = tensor(PitchColumns(generator), device: prime.device);
        int songsAtOnce = Math.Max(1, MaxRowsAtOnce / candidates);
        var chosen = new List<Tensor>();
        for (int first = 0; first < count; first += songsAtOnce)
        {
            int songs = Math.Min(songsAtOnce, count - first);
            var drawn = rand(new long[] { songs * candidates, generator.Config.SongNoiseSize }, device: prime.device);
            var predicted = generator.TeacherForced(prime.expand(songs * candidates, -1, -1), drawn);
            var error = prime.shape[1] < 2 ? zeros(songs * candidates, device: prime.device)
                : (predicted[.., 1..] - prime[.., 1..]).index_select(2, columns).square().mean([1L, 2L]);
            var best = error.view(songs, candidates).argmin(1);
            chosen.Add(drawn.index_select(0, arange(songs, device: prime.device) * candidates + best));
        }
        return cat(chosen, 0).MoveToOuterDisposeScope();
    }

    /// <summary>Where G's output says pitch: each tone's frequency, and the pitch-class outputs of a pitch-class head.</summary>
    private static long[] PitchColumns(Generator generator)
    {
        var config = generator.Config;
        return Enumerable.Range(0, config.TonesPerCell).Select(tone => (long)EventLayout.FrequencyIndex(tone))
            .Concat(Enumerable.Range(config.FeatureCount, config.PitchClassOutputs).Select(i => (long)i)).ToArray();
    }
}
