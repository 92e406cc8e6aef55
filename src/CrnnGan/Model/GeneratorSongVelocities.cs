using static TorchSharp.torch;

namespace CrnnGan.Model;

/// <summary>How a G with song velocities (<see cref="ModelConfig.SongVelocity"/>) starts and writes its velocities.</summary>
public static class GeneratorSongVelocities
{
    /// <summary>
    /// Sets <see cref="GeneratorSongVelocities.WriteVelocities"/> so that songs start at one velocity as often as <paramref name="flatShare"/> of
    /// the real ones are: the spread is max(0, c (u - share)) of the song's first noise value u (uniform in [0, 1]), with
    /// c making it 1 on average over the other songs, and the level 0 (the corpus's mean velocity) for training to move.
    /// Started as the identity instead, G wrote no song at one velocity in 29 adversarial epochs (docs/log/2026-12-02-song-velocities-and-lags.md).
    /// </summary>
    public static void StartSongVelocities(this Generator generator, double flatShare)
    {
        var head = generator.SongVelocityHead ?? throw new InvalidOperationException("G has no song velocities (model.song_velocity)");
        if (flatShare is < 0 or > 1 || double.IsNaN(flatShare)) throw new ArgumentOutOfRangeException(nameof(flatShare), flatShare, "a share is 0 to 1");
        double share = Math.Min(flatShare, 0.9);
        float slope = (float)(2 / (1 - share));
        using var noGrad = no_grad();
        head.weight!.zero_();
        head.weight![1, 0] = tensor(slope);
        head.bias!.copy_(tensor(new[] { 0f, (float)(-slope * share) }));
    }

    /// <summary>G's output (batch, length, <see cref="ModelConfig.OutputCount"/>) with its velocities as written: unchanged,
    /// or with <see cref="ModelConfig.SongVelocity"/> each song's level plus its spread (never below 0) times G's velocity
    /// output, both a linear map of the song's noise in <paramref name="noise"/>, so that a song can be at one velocity
    /// throughout (a fifth of the corpus's segments are). G reads back its own output, not this.</summary>
    public static Tensor WriteVelocities(this Generator generator, Tensor output, Tensor noise)
    {
        if (generator.SongVelocityHead is not { } head) return output;
        var config = generator.Config;
        using var scope = NewDisposeScope();
        var levelAndSpread = head.call(noise[.., 0, config.NoiseSize..config.StepInputNoiseSize]).unsqueeze(1);
        int at = Data.EventLayout.IntensityIndex(0);
        var spread = nn.functional.relu(levelAndSpread[.., .., 1..2]);
        if (config.FixedVelocitySpread) spread = spread.detach(); // its weights get no gradient, so they keep their start
        var velocity = levelAndSpread[.., .., 0..1] + spread * output[.., .., at..(at + 1)];
        return cat([output[.., .., ..at], velocity, output[.., .., (at + 1)..]], dim: -1).MoveToOuterDisposeScope();
    }
}
