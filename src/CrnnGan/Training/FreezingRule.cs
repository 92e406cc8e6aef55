namespace CrnnGan.Training;

/// <summary>
/// The paper's freezing: skip D's update while its loss is below <see cref="Ratio"/> of G's, and skip G's
/// update while G's loss is below <see cref="Ratio"/> of D's. G's loss here is always the adversarial one in
/// its non-saturating form, mean(-log D(G(z))), also under feature matching or the minimax loss, so both
/// sides are positive and on the same log scale.
/// </summary>
public sealed record FreezingRule(bool Enabled = true, double Ratio = 0.7)
{
    public (bool TrainDiscriminator, bool TrainGenerator) Decide(double discriminatorLoss, double generatorAdversarialLoss)
    {
        if (!Enabled) return (true, true);
        bool trainD = !(discriminatorLoss < Ratio * generatorAdversarialLoss);
        bool trainG = !(generatorAdversarialLoss < Ratio * discriminatorLoss);
        return (trainD, trainG);
    }
}
