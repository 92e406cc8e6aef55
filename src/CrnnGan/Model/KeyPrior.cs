using static TorchSharp.torch;

namespace CrnnGan.Model;

/// <summary>
/// The song's key as a prior on G's pitch scores (<see cref="ModelConfig.KeyPrior"/>): each pitch's score gains
/// weight x log(share of its pitch class among the song's tones + <see cref="Floor"/>), the shares being those G reads
/// in its song traits (<see cref="ModelConfig.SongKeyTraits"/>): the real window's teacher forced, a training window's
/// drawn from G's table free running. The same for every step of a song.
/// </summary>
/// <remarks>
/// Why: G reads the shares already, yet its songs put 1.5 times the corpus's share of tones a semitone above the
/// tonic and more tritones and out-of-key tones; a lower pitch temperature put those right but made the top line
/// repeat its pitch twice as often as the corpus (docs/log/2026-12-07-pitch-temperature.md). The prior moves the
/// draw away from the classes the song's key has little of without sharpening it among those it has. It adds a
/// constant to the scores, so gradients pass through it unchanged; G learns its own scores on top of it when it
/// pretrains.
/// </remarks>
internal static class KeyPrior
{
    /// <summary>Added to each share before its logarithm: a class the song never sounds loses log(1/0.02) = 3.9 times
    /// the weight, not an endless amount (a real song's window does not hold every tone of its key).</summary>
    public const double Floor = 0.02;

    private const int Classes = 12;

    /// <summary>(batch, 128) scores to add to each song's pitch scores, from G's input noise (batch, length, inputs),
    /// whose last 12 inputs are the pitch-class shares normalised by the song-traits <paramref name="table"/>'s mean and
    /// spread (<see cref="GeneratorSongTraits"/>).</summary>
    public static Tensor Scores(Tensor noise, Tensor table, double weight)
    {
        using var scope = NewDisposeScope();
        long inputs = noise.shape[2], traits = table.shape[1];
        var normalised = noise[.., 0, (int)(inputs - Classes)..].to(ScalarType.Float32);
        var mean = table[SongTraits.TableRows, (int)(traits - Classes)..].to(ScalarType.Float32);
        var spread = table[SongTraits.TableRows + 1, (int)(traits - Classes)..].to(ScalarType.Float32);
        var shares = (normalised * spread + mean).clamp_min(0);
        var perClass = (shares + Floor).log().mul(weight);
        var classOfPitch = arange(Data.Tuning.MaxPitch + 1, dtype: ScalarType.Int64, device: noise.device).remainder(Classes);
        return perClass.index_select(1, classOfPitch).to(noise.dtype).MoveToOuterDisposeScope();
    }

    /// <summary><paramref name="raw"/> (…, outputs) with <paramref name="scores"/> (batch, 128; unsqueezed to match)
    /// added to the pitch scores at <paramref name="pitchAt"/>.</summary>
    public static Tensor AddTo(Tensor raw, Tensor scores, int pitchAt) =>
        PitchScores.Add(raw, pitchAt, (raw.dim() == 3 ? scores.unsqueeze(1) : scores).to(raw.dtype));
}
