using static TorchSharp.torch;

namespace CrnnGan.Model;

/// <summary>
/// The song's register as a prior on G's pitch scores (<see cref="ModelConfig.RegisterPrior"/>): each pitch's score
/// gains -weight x z² / 2, z being how many of the song's pitch spreads the pitch lies from the song's mean pitch (a
/// normal distribution's log density), the mean and spread being those G reads in its song traits: the real window's
/// teacher forced, a training window's drawn from G's table free running. The same for every step of a song.
/// </summary>
/// <remarks>
/// Why: G reads the song's pitch mean and spread already, yet its songs span more tones than the corpus's (tone span
/// higher) while their pitches spread less (pitch spread lower): most of a song sits in a narrow register and a few
/// tones stray far from it, which the classifier reads among its first give-aways (docs/log/2026-12-07-velocity-memory.md).
/// The key prior, its sibling for pitch classes, was the last change that gained (docs/log/2026-12-07-key-prior.md).
/// It adds a constant to the scores, so gradients pass through it unchanged; G learns its own scores on top of it.
/// </remarks>
internal static class RegisterPrior
{
    /// <summary>Where the pitch mean and spread lie among a song's traits (see <see cref="SongTraits.Of"/>).</summary>
    private const int MeanTrait = 6, SpreadTrait = 7;

    /// <summary>The narrowest spread the prior uses, in scaled pitch units per semitone: a window of one repeated pitch
    /// (spread 0) would otherwise rule out every other pitch.</summary>
    private const double MinSemitones = 2;

    /// <summary>(batch, 128) scores to add to each song's pitch scores, from G's input noise (batch, length, inputs),
    /// whose last inputs are the song traits normalised by the song-traits <paramref name="table"/>'s mean and spread,
    /// and <paramref name="pitchValues"/> (128), each pitch in the scaled units of the events' pitch feature.</summary>
    public static Tensor Scores(Tensor noise, Tensor table, float[] pitchValues, double weight)
    {
        using var scope = NewDisposeScope();
        long inputs = noise.shape[2], traits = table.shape[1];
        int first = (int)(inputs - traits);
        var normalised = noise[.., 0, (first + MeanTrait)..(first + SpreadTrait + 1)].to(ScalarType.Float32);
        var moments = normalised * table[SongTraits.TableRows + 1, MeanTrait..(SpreadTrait + 1)].to(ScalarType.Float32)
            + table[SongTraits.TableRows, MeanTrait..(SpreadTrait + 1)].to(ScalarType.Float32);
        var values = tensor(pitchValues, device: noise.device);
        // The table's mean step per semitone: the warp is nearly log2 above C1 (FeatureScaling), where songs lie; a floor only.
        double semitone = (pitchValues[^1] - pitchValues[0]) / (pitchValues.Length - 1.0);
        var spread = moments[.., 1..2].clamp_min(MinSemitones * Math.Abs(semitone));
        var z = (values.unsqueeze(0) - moments[.., 0..1]) / spread;
        return z.square().mul(-weight / 2).to(noise.dtype).MoveToOuterDisposeScope();
    }

    /// <summary>The pitch scores every song prior of G adds (batch, 128): the key's and the register's; null: none.</summary>
    public static Tensor? SongPriorScores(this Generator g, Tensor noise)
    {
        var config = g.Config;
        if (config.KeyPrior == 0 && config.RegisterPrior == 0) return null;
        using var scope = NewDisposeScope();
        var table = g.SongTraitsTable();
        Tensor? scores = config.KeyPrior > 0 ? KeyPrior.Scores(noise, table, config.KeyPrior) : null;
        if (config.RegisterPrior > 0)
        {
            var pitchValues = g.Choices!.Columns.Single(c => c.Feature == ChosenFeature.Pitch).Table;
            var register = Scores(noise, table, pitchValues, config.RegisterPrior);
            scores = scores is null ? register : scores + register;
        }
        return scores!.MoveToOuterDisposeScope();
    }
}
