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
    public static IReadOnlyList<GeneratedSong> Sample(Generator generator, FeatureScaling scaling, int tonesPerCell, int count, int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        bool wasTraining = generator.training;
        generator.eval();
        try
        {
            float[] values;
            using (no_grad())
            using (var scope = NewDisposeScope())
                values = generator.Sample(count, length).cpu().data<float>().ToArray();

            int perSong = length * EventLayout.FeatureCount(tonesPerCell);
            var songs = new GeneratedSong[count];
            for (int i = 0; i < count; i++)
            {
                var events = scaling.Unscale(values.AsSpan(i * perSong, perSong), tonesPerCell, $"generated-{i}");
                songs[i] = new GeneratedSong(events, EventCodec.Decode(events));
            }
            return songs;
        }
        finally
        {
            generator.train(wasTraining);
        }
    }
}
