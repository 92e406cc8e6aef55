namespace CrnnGan.Evaluation;

/// <summary>A Gaussian kernel density estimate of a set of values.</summary>
public sealed class KernelDensity
{
    private readonly double[] _values;

    public KernelDensity(IReadOnlyList<double> values, double bandwidth)
    {
        if (values.Count == 0) throw new ArgumentException("a density needs at least one value");
        if (!(bandwidth > 0)) throw new ArgumentOutOfRangeException(nameof(bandwidth), bandwidth, "bandwidth must be positive");
        _values = values.ToArray();
        Bandwidth = bandwidth;
    }

    public double Bandwidth { get; }

    public double At(double x)
    {
        double sum = 0;
        foreach (double v in _values)
        {
            double u = (x - v) / Bandwidth;
            sum += Math.Exp(-0.5 * u * u);
        }
        return sum / (_values.Length * Bandwidth * Math.Sqrt(2 * Math.PI));
    }

    /// <summary>Silverman's rule of thumb, 0.9 min(std, IQR/1.34) n^(-1/5); <paramref name="floor"/> when the values barely spread.</summary>
    public static double SilvermanBandwidth(IReadOnlyList<double> values, double floor)
    {
        double[] sorted = values.Order().ToArray();
        double mean = sorted.Average();
        double std = Math.Sqrt(sorted.Sum(v => (v - mean) * (v - mean)) / Math.Max(1, sorted.Length - 1));
        double iqr = Quantile(sorted, 0.75) - Quantile(sorted, 0.25);
        double spread = iqr > 0 ? Math.Min(std, iqr / 1.34) : std;
        return Math.Max(0.9 * spread * Math.Pow(sorted.Length, -0.2), floor);
    }

    private static double Quantile(double[] sorted, double q)
    {
        double position = q * (sorted.Length - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}

/// <summary>How close the distribution of one statistic over generated songs is to that over real music.</summary>
public sealed record DistributionComparison(
    string Statistic, int GeneratedCount, double GeneratedMean, double GeneratedStd, int RealCount, double RealMean, double RealStd,
    double OverlappingArea, double KlDivergence)
{
    /// <summary>
    /// Overlapping area of the two kernel density estimates (1 = identical, 0 = disjoint) and the KL divergence
    /// KL(real || generated) in nats, both integrated numerically on one grid (as in Yang and Lerch 2018).
    /// </summary>
    public static DistributionComparison Compare(string statistic, IReadOnlyList<double> generated, IReadOnlyList<double> real)
    {
        var curves = DensityCurves.Of(statistic, generated, real);
        double overlap = 0, kl = 0;
        for (int i = 0; i < curves.X.Length; i++)
        {
            double pr = curves.Real[i], qr = curves.Generated[i];
            double weight = i == 0 || i == curves.X.Length - 1 ? 0.5 : 1; // trapezoid rule
            overlap += weight * Math.Min(pr, qr) * curves.Step;
            if (pr > 1e-300) kl += weight * pr * Math.Log(pr / Math.Max(qr, 1e-300)) * curves.Step;
        }
        var (gMean, gStd) = MeanStd(generated);
        var (rMean, rStd) = MeanStd(real);
        return new DistributionComparison(statistic, generated.Count, gMean, gStd, real.Count, rMean, rStd,
            Math.Clamp(overlap, 0, 1), Math.Max(0, kl));
    }

    private static (double Mean, double Std) MeanStd(IReadOnlyList<double> values)
    {
        double mean = values.Average();
        return (mean, Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Count));
    }
}

/// <summary>Both kernel density estimates of one statistic sampled on one shared grid.</summary>
public sealed record DensityCurves(double[] X, double[] Generated, double[] Real, double Step)
{
    private const int GridPoints = 1024;

    /// <summary>
    /// Each side gets its own Silverman bandwidth, never below 2% of the pooled spread so that sets of identical
    /// values stay comparable; the grid reaches four bandwidths past the extreme values.
    /// </summary>
    public static DensityCurves Of(string statistic, IReadOnlyList<double> generated, IReadOnlyList<double> real)
    {
        if (generated.Count == 0 || real.Count == 0)
            throw new ArgumentException($"{statistic}: both sides need at least one value (generated {generated.Count}, real {real.Count})");
        double min = Math.Min(generated.Min(), real.Min());
        double max = Math.Max(generated.Max(), real.Max());
        double floor = Math.Max(0.02 * (max - min), 1e-3 * Math.Max(1, Math.Max(Math.Abs(min), Math.Abs(max))));
        var p = new KernelDensity(real, KernelDensity.SilvermanBandwidth(real, floor));
        var q = new KernelDensity(generated, KernelDensity.SilvermanBandwidth(generated, floor));

        double margin = 4 * Math.Max(p.Bandwidth, q.Bandwidth);
        double from = min - margin, step = (max - min + 2 * margin) / (GridPoints - 1);
        var x = new double[GridPoints];
        var pr = new double[GridPoints];
        var qr = new double[GridPoints];
        for (int i = 0; i < GridPoints; i++)
        {
            x[i] = from + i * step;
            pr[i] = p.At(x[i]);
            qr[i] = q.At(x[i]);
        }
        return new DensityCurves(x, qr, pr, step);
    }
}
