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

    /// <summary>
    /// Squared maximum mean discrepancy between real and generated songs' per-song features (batch, features) each,
    /// feature by feature, summed over the features: for each, a sum of Gaussian kernels of several widths on values
    /// standardised by the real songs' spread, unbiased (Gretton et al. 2012), so near 0 (either side) when the two
    /// sets of songs spread alike in that feature and growing as they part. Where feature matching asks for the same
    /// means of D's features, this asks for the same distribution of songs in each feature a listener hears, which is
    /// what the evaluation's overlaps and its classifier check. Feature by feature rather than jointly: a kernel on all
    /// features at once is blind to one feature that differs while the others agree, which a classifier is not.
    /// </summary>
    public static Tensor SongFeatureMmd(Tensor realFeatures, Tensor fakeFeatures)
    {
        using var scope = NewDisposeScope();
        var real = realFeatures.detach();
        var mean = real.mean([0L], keepdim: true);
        var spread = (real - mean).square().mean([0L], keepdim: true).sqrt().clamp_min(1e-2);
        var x = (real - mean) / spread;
        var y = (fakeFeatures - mean) / spread;
        long n = x.shape[0], m = y.shape[0];
        Tensor Kernel(Tensor a, Tensor b)
        {
            var distance = (a.unsqueeze(1) - b.unsqueeze(0)).square();
            Tensor? sum = null;
            foreach (double width in KernelWidths)
            {
                var k = (-distance / (2 * width * width)).exp();
                sum = sum is null ? k : sum + k;
            }
            return sum!; // (rows of a, rows of b, features)
        }
        // Each kernel is 1 on the diagonal: the unbiased sums leave those terms out.
        double diagonal = KernelWidths.Length;
        var xx = (Kernel(x, x).sum([0L, 1L]) - n * diagonal) / (n * (n - 1));
        var yy = (Kernel(y, y).sum([0L, 1L]) - m * diagonal) / (m * (m - 1));
        var xy = Kernel(x, y).mean([0L, 1L]);
        return (xx + yy - 2 * xy).sum().MoveToOuterDisposeScope();
    }

    private static readonly double[] KernelWidths = [0.25, 0.5, 1, 2];

    /// <summary>Next-event MSE used for pretraining and the baseline.</summary>
    public static Tensor NextEvent(Tensor predicted, Tensor real) => nn.functional.mse_loss(predicted, real);

    /// <summary>
    /// The next-event error of the nearest of <paramref name="samples"/> draws, step by step: <paramref name="predicted"/>
    /// holds G's teacher-forced guesses for <paramref name="real"/> (batch, length, features) under that many draws of
    /// its noise, draw after draw along the batch. Where the next event could be one of several (a step up or down, a
    /// sixteenth or an eighth), the plain MSE is least at their average, which is none of them (a repeated pitch, an
    /// interval off the grid); scoring only the nearest draw lets G spend its noise on choosing among them (implicit
    /// maximum likelihood, Li and Malik 2018).
    /// </summary>
    public static Tensor NextEventBestOf(Tensor predicted, Tensor real, int samples)
    {
        using var scope = NewDisposeScope();
        long batch = real.shape[0], length = real.shape[1];
        var error = (predicted - real.repeat(samples, 1, 1)).square().mean([-1L]).view(samples, batch, length);
        return error.min(0).values.mean().MoveToOuterDisposeScope();
    }

    private static Tensor SafeLog(Tensor probability) => probability.clamp(Epsilon, 1.0).log();
}
