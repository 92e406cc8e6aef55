using static TorchSharp.torch;

using Generator = CrnnGan.Model.Generator;

namespace CrnnGan.Tests.Model;

/// <summary>The next-event pretraining the choice tests give a small G: each step a fresh batch of songs, teacher forced.</summary>
internal static class ChoicePretraining
{
    public static void Steps(Generator g, optim.Optimizer optimizer, Func<Tensor> songs, int steps)
    {
        for (int step = 0; step < steps; step++)
        {
            using var stepScope = NewDisposeScope();
            var real = songs();
            optimizer.zero_grad();
            g.Choices!.NextEventLoss(g.TeacherForced(real), real).backward();
            optimizer.step();
        }
    }
}
