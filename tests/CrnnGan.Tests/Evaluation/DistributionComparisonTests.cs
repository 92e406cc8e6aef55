using CrnnGan.Evaluation;

namespace CrnnGan.Tests.Evaluation;

public class DistributionComparisonTests
{
    private static double[] Normal(int count, double mean, double std, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
            return mean + std * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }).ToArray();
    }

    [Fact]
    public void TheSameSampleOverlapsCompletelyWithNoDivergence()
    {
        var values = Normal(200, 10, 2, seed: 1);
        var comparison = DistributionComparison.Compare("x", values, values);
        Assert.Equal(1.0, comparison.OverlappingArea, 3);
        Assert.Equal(0.0, comparison.KlDivergence, 3);
    }

    [Fact]
    public void FarApartSamplesDoNotOverlap()
    {
        var comparison = DistributionComparison.Compare("x", Normal(200, 0, 1, seed: 1), Normal(200, 100, 1, seed: 2));
        Assert.True(comparison.OverlappingArea < 1e-3, $"{comparison.OverlappingArea}");
        Assert.True(comparison.KlDivergence > 10);
    }

    [Fact]
    public void TwoNormalsOneStdApartOverlapAsTheoryPredicts()
    {
        // Two unit normals d = 1 apart overlap by 2 Phi(-d/2) = 0.617.
        var comparison = DistributionComparison.Compare("x", Normal(4000, 0, 1, seed: 3), Normal(4000, 1, 1, seed: 4));
        Assert.InRange(comparison.OverlappingArea, 0.58, 0.66);
        // KL between unit normals one apart is d^2/2 = 0.5 nats; the KDE widens both a little.
        Assert.InRange(comparison.KlDivergence, 0.35, 0.6);
        Assert.Equal(0.0, comparison.GeneratedMean, 1);
        Assert.Equal(1.0, comparison.RealMean, 1);
    }

    [Fact]
    public void IdenticalConstantsStayComparable()
    {
        var comparison = DistributionComparison.Compare("tone_span", [0, 0, 0], [0, 0]);
        Assert.Equal(1.0, comparison.OverlappingArea, 3);
        var apart = DistributionComparison.Compare("tone_span", [0, 0, 0], [12, 12]);
        Assert.True(apart.OverlappingArea < 1e-3);
    }

    [Fact]
    public void AnEmptySideIsRefused()
    {
        Assert.Throws<ArgumentException>(() => DistributionComparison.Compare("x", [], [1.0]));
    }
}
