using CrnnGan.Model;
using static TorchSharp.torch;
using Generator = CrnnGan.Model.Generator;

namespace CrnnGan.Training;

/// <summary>
/// Parallel scheduled sampling (Bengio et al. 2015; Duckworth et al. 2019, "Parallel scheduled sampling"): teacher
/// forced, G only ever reads real events, but free running it reads its own, and a wrong step leads it where training
/// never took it. So some of the events G reads while pretraining are its own draws: one teacher-forced pass without
/// gradients gives G's draw for every step, and a share of the real events is replaced by them before the pass that
/// learns (<c>losses.scheduled_sampling</c>). The targets stay the real next events.
/// </summary>
public static class OwnDraws
{
    /// <summary><paramref name="real"/> (songs, events, width as G reads them) with each event replaced, with probability
    /// <paramref name="share"/>, by the event G draws at that step having read the real events before it.</summary>
    public static Tensor Mix(Generator generator, Tensor real, double share, Tensor? labels = null)
    {
        var choices = generator.Choices ?? throw new InvalidOperationException("scheduled sampling draws from a G that chooses its values");
        using var scope = NewDisposeScope();
        Tensor drawn;
        using (no_grad())
            drawn = choices.Draw(generator.TeacherForced(real, labels: labels));
        var own = rand(real.shape[0], real.shape[1], 1, device: real.device).lt(share);
        return where(own, drawn, real).MoveToOuterDisposeScope();
    }
}
