using CrnnGan.Data;
using CrnnGan.Midi;
using CrnnGan.Model;
using static TorchSharp.torch;

using Generator = CrnnGan.Model.Generator;

namespace CrnnGan.Generation;

/// <summary>A generated song: G's events (unscaled) and the notes they decode to (384 ticks per quarter).</summary>
public sealed record GeneratedSong(EncodedSong Events, IReadOnlyList<Note> Notes);

/// <summary>Runs G free (no dropout, no gradients) and turns its output back into notes.</summary>
public static class SongSampler
{
    /// <param name="labels">A conditioned G's label of each song (<paramref name="count"/> of them); null: the mean of all labels.</param>
    /// <param name="songTraits">With song traits, each song's (see <see cref="GeneratorSongTraits.SongTraitsOf"/>); null: G draws them.</param>
    public static IReadOnlyList<GeneratedSong> Sample(Generator generator, FeatureScaling scaling, int tonesPerCell, int count, int length,
        NoiseScales? noiseScales = null, IReadOnlyList<int>? labels = null, Tensor? songTraits = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        if (labels is not null && labels.Count != count) throw new ArgumentException($"one label per song: {count} songs, {labels.Count} labels", nameof(labels));
        return Songs(generator, scaling, tonesPerCell, g => g.Sample(count, length, noiseScales, OneHot(g, labels), songTraits), "generated");
    }

    /// <summary>The one-hot of <paramref name="labels"/> on G's device (null for null).</summary>
    internal static Tensor? OneHot(Generator generator, IReadOnlyList<int>? labels) =>
        labels is null ? null : Conditioning.OneHot(labels, generator.Config.LabelCount, generator.parameters().First().device);

    /// <summary>Runs <paramref name="run"/> on G in evaluation mode without gradients and turns its output (songs, events,
    /// G's outputs) into songs as written: the time staircase and the pitch-class head applied, unscaled, absent tones
    /// silenced, decoded to notes.</summary>
    internal static IReadOnlyList<GeneratedSong> Songs(Generator generator, FeatureScaling scaling, int tonesPerCell,
        Func<Generator, Tensor> run, string namePrefix)
    {
        bool wasTraining = generator.training;
        generator.eval();
        try
        {
            float[] values;
            long count, length;
            using (no_grad())
            using (var scope = NewDisposeScope())
            {
                var output = run(generator);
                (count, length) = (output.shape[0], output.shape[1]);
                if (generator.Choices is { } choices) output = choices.Strip(output);
                if (generator.Config.TimeGrid > 0) output = TimeStaircase.Apply(output, tonesPerCell, scaling.Time, generator.Config.TimeGrid);
                if (generator.Config.PitchClassOutputs > 0) output = new PitchClassHead(tonesPerCell, scaling).Decode(output);
                values = output.cpu().data<float>().ToArray();
            }

            int perSong = (int)length * EventLayout.FeatureCount(tonesPerCell);
            var songs = new GeneratedSong[count];
            for (int i = 0; i < count; i++)
            {
                var events = scaling.Unscale(values.AsSpan(i * perSong, perSong), tonesPerCell, $"{namePrefix}-{i}");
                if (tonesPerCell > 1) SilenceAbsentTones(events, PresenceThreshold(scaling));
                songs[i] = new GeneratedSong(events, EventCodec.Decode(events));
            }
            return songs;
        }
        finally
        {
            generator.train(wasTraining);
        }
    }

    /// <summary>
    /// In multi-tone cells an absent tone is encoded as intensity 0, a present one near the corpus's mean velocity.
    /// G regresses towards one or the other, so a tone counts as present when its intensity is nearer the mean
    /// than zero. Decoding alone would play anything of velocity 1 or more, so a G that says "almost absent"
    /// (velocity 2, frequency near 0 Hz) would sound a note at MIDI pitch 0.
    /// </summary>
    public static double PresenceThreshold(FeatureScaling scaling) => Math.Max(1, scaling.Intensity.Offset / 2);

    /// <summary>Sets every tone whose intensity is below <paramref name="threshold"/> to the all-zero absent tone.</summary>
    public static void SilenceAbsentTones(EncodedSong events, double threshold)
    {
        for (int e = 0; e < events.EventCount; e++)
        {
            Span<float> values = events.Values.AsSpan(e * events.FeatureCount, events.FeatureCount);
            for (int tone = 0; tone < events.TonesPerCell; tone++)
            {
                if (values[EventLayout.IntensityIndex(tone)] >= threshold) continue;
                values[EventLayout.LengthIndex(tone)] = 0;
                values[EventLayout.FrequencyIndex(tone)] = 0;
                values[EventLayout.IntensityIndex(tone)] = 0;
            }
        }
    }
}
