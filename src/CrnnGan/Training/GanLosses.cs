using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CrnnGan.Training;

/// <summary>Which adversarial loss G minimises.</summary>
public enum GeneratorLossForm
{
    /// <summary>mean(-log D(G(z))): same fixed point as the paper's form, but strong gradients while D easily rejects G's songs (Goodfellow et al. 2014).</summary>
    NonSaturating,

    /// <summary>The paper's mean(log(1 - D(G(z)))).</summary>
    Minimax,
}

/// <summary>The paper's losses. Decisions are probabilities (D averages per-step sigmoids), so logs are clamped away from 0.</summary>
public static class GanLosses
{
    private const double Epsilon = 1e-7;

    /// <summary>L_D = mean(-log D(x) - log(1 - D(G(z)))).</summary>
    public static Tensor Discriminator(Tensor realDecision, Tensor fakeDecision) =>
        (-SafeLog(realDecision) - SafeLog(1 - fakeDecision)).mean();

    public static Tensor Generator(Tensor fakeDecision, GeneratorLossForm form) => form switch
    {
        GeneratorLossForm.NonSaturating => (-SafeLog(fakeDecision)).mean(),
        _ => SafeLog(1 - fakeDecision).mean(),
    };

    /// <summary>Feature matching: mean over the batch of sum((R(x) - R(G(z)))^2), R = D's last LSTM layer. (batch, length, features) each.</summary>
    public static Tensor FeatureMatching(Tensor realFeatures, Tensor fakeFeatures) =>
        (realFeatures - fakeFeatures).square().sum([1L, 2L]).mean();

    /// <summary>
    /// Feature matching of batch means (Salimans et al. 2016): sum((mean over songs of R(x) - mean over songs of R(G(z)))^2).
    /// The per-pair form above is smallest when every generated song has the average real song's features, which
    /// pulls G towards one average song; matching means leaves G free to spread its songs like the real ones.
    /// </summary>
    public static Tensor FeatureMatchingOfMeans(Tensor realFeatures, Tensor fakeFeatures) =>
        (realFeatures.mean([0L]) - fakeFeatures.mean([0L])).square().sum();

    /// <summary>
    /// Matching of the spread between songs: each song's features averaged over its steps, their standard deviation
    /// over the songs of the batch, sum((std real - std generated)^2) times the number of steps (so that it weighs
    /// like <see cref="FeatureMatchingOfMeans"/>, a sum over steps). Matching means alone is met as well by songs that
    /// are all alike as by songs that differ as much as real ones do (in register, loudness, key); this term tells them apart.
    /// </summary>
    public static Tensor FeatureSpreadMatching(Tensor realFeatures, Tensor fakeFeatures)
    {
        using var scope = NewDisposeScope();
        long steps = realFeatures.shape[1];
        var loss = (SongSpread(realFeatures) - SongSpread(fakeFeatures)).square().sum() * steps;
        return loss.MoveToOuterDisposeScope();
    }

    private static Tensor SongSpread(Tensor features)
    {
        var perSong = features.mean([1L]);
        // sqrt(var + eps): the gradient stays finite when every song has the same features.
        return (perSong - perSong.mean([0L], keepdim: true)).square().mean([0L]).add(1e-8).sqrt();
    }

    /// <summary>scale x sum over all parameters of sum(w^2)/2, as TensorFlow's l2_loss in the paper's code.</summary>
    public static Tensor L2(IEnumerable<Parameter> parameters, double scale)
    {
        Tensor? total = null;
        foreach (var p in parameters)
        {
            var term = p.square().sum();
            total = total is null ? term : total + term;
        }
        return total is null ? tensor(0f) : total * (scale / 2);
    }

    /// <summary>Next-event MSE used for pretraining and the baseline.</summary>
    public static Tensor NextEvent(Tensor predicted, Tensor real) => nn.functional.mse_loss(predicted, real);

    private static Tensor SafeLog(Tensor probability) => probability.clamp(Epsilon, 1.0).log();
}
