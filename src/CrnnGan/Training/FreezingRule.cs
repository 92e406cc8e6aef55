namespace CrnnGan.Training;

/// <summary>
/// The paper's freezing: skip D's update while its loss is below <see cref="Ratio"/> of G's, and skip G's
/// update while G's loss is below <see cref="Ratio"/> of D's.
/// G's loss here is always the adversarial one in its non-saturating form, mean(-log D(G(z))), also under
/// feature matching or the minimax loss, so both sides are positive and on the same log scale. D's loss sums
/// two cross-entropy terms (real and generated songs) where G's has one, so D's side is taken per term
/// (L_D / 2): at the equilibrium both are log 2 and neither network is frozen. Compared literally, G would be
/// frozen at the equilibrium itself (0.69 &lt; 0.7 x 1.39) and never learn.
/// </summary>
public sealed record FreezingRule(bool Enabled = true, double Ratio = 0.7)
{
    public (bool TrainDiscriminator, bool TrainGenerator) Decide(double discriminatorLoss, double generatorAdversarialLoss)
    {
        if (!Enabled) return (true, true);
        double dPerTerm = discriminatorLoss / 2;
        bool trainD = !(dPerTerm < Ratio * generatorAdversarialLoss);
        bool trainG = !(generatorAdversarialLoss < Ratio * dPerTerm);
        return (trainD, trainG);
    }
}
