using static TorchSharp.torch;

namespace CrnnGan.Model;

/// <summary>The random numbers of one pass of <see cref="Generator"/> (see <see cref="Generator.DrawRandoms"/>), and
/// with a nucleus (<see cref="NoiseScales.TopP"/>) the scales they were drawn at, which it is taken at.</summary>
public sealed record GeneratorRandoms(Tensor Noise, Tensor FirstPrevious, Tensor? DropoutMasks, Tensor? ChoiceNoise = null, NoiseScales? Nucleus = null);

/// <summary>The noise <see cref="Generator"/> reads.</summary>
internal static class GeneratorNoise
{
    /// <summary>Uniform noise for every step (batch, length, step input noise size), and the random first "previous event".
    /// The step noise is 0.5 + scale (u - 0.5) of uniform u: the same draws at every scale, so one seed's songs can be
    /// heard at several scales. A conditioned G's labels follow, repeated at every step like the song noise (they draw
    /// no random numbers, so an unconditioned G's noise is what it was before labels existed).</summary>
    public static (Tensor Noise, Tensor FirstPrevious) Draw(ModelConfig config, Device device, long batch, long length, double stepNoiseScale = 1,
        Tensor? songNoise = null, Tensor? labels = null)
    {
        var noise = rand(new[] { batch, length, (long)config.NoiseSize }, device: device);
        if (stepNoiseScale != 1) noise = noise.sub_(0.5).mul_(stepNoiseScale).add_(0.5);
        var first = rand(new[] { batch, (long)config.OutputCount }, device: device);
        if (config.SongNoiseSize > 0)
        {
            if (songNoise is not null && (songNoise.dim() != 2 || songNoise.shape[0] != batch || songNoise.shape[1] != config.SongNoiseSize))
                throw new ArgumentException($"song noise is (songs, {config.SongNoiseSize}) for this G, got ({string.Join(", ", songNoise.shape)})", nameof(songNoise));
            using var song = songNoise?.unsqueeze(1) ?? rand(new[] { batch, 1L, (long)config.SongNoiseSize }, device: device);
            noise = cat([noise, song.expand(batch, length, config.SongNoiseSize)], dim: 2);
        }
        if (config.LabelCount > 0)
        {
            if (labels is not null && (labels.dim() != 2 || labels.shape[0] != batch || labels.shape[1] != config.LabelCount))
                throw new ArgumentException($"labels are (songs, {config.LabelCount}) for this G, got ({string.Join(", ", labels.shape)})", nameof(labels));
            using var label = labels?.to(device).unsqueeze(1) ?? full(new[] { batch, 1L, (long)config.LabelCount }, 1.0f / config.LabelCount, device: device);
            noise = cat([noise, label.expand(batch, length, config.LabelCount)], dim: 2);
        }
        else if (labels is not null) throw new ArgumentException("this G is not conditioned on labels", nameof(labels));
        return (noise, first);
    }

    /// <summary><paramref name="noise"/> (batch, length, inputs) with each song's traits (batch, <paramref name="count"/>)
    /// after it at every step: <paramref name="traits"/>, or when null those <paramref name="draw"/> gives. The noise
    /// passed in is disposed.</summary>
    public static Tensor WithSongTraits(Tensor noise, Tensor? traits, Func<long, Tensor> draw, int count)
    {
        long batch = noise.shape[0], length = noise.shape[1];
        if (traits is not null && (traits.dim() != 2 || traits.shape[0] != batch || traits.shape[1] != count))
            throw new ArgumentException($"song traits are (songs, {count}), got ({string.Join(", ", traits.shape)})", nameof(traits));
        using var drawn = traits is null ? draw(batch) : null;
        using var song = (traits ?? drawn!).to(noise.device).unsqueeze(1).expand(batch, length, count);
        using var withoutTraits = noise;
        return cat([noise, song], dim: 2);
    }
}
