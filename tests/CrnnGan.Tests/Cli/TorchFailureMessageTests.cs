using CrnnGan.Cli.Commands;

namespace CrnnGan.Tests.Cli;

public sealed class TorchFailureMessageTests
{
    [Fact]
    public void ATorchFailureInTraining_SaysWhichEpochIsSafe_AndHowToGoOn_InOneLine()
    {
        const string torch = "Expected false to be true, but got false.  (Could this error message be improved?)\nException raised from ... frame #0: c10::detail";

        string message = TrainCommand.TorchFailure(torch, "runs/demo", 12, "crnngan train --resume --out runs/demo");
        string first = TrainCommand.TorchFailure(torch, "runs/demo", 0, "crnngan train --resume --out runs/demo");

        Assert.DoesNotContain('\n', message);
        Assert.DoesNotContain("frame #0", message);
        Assert.Contains("epoch 13", message);
        Assert.Contains("the checkpoint of epoch 12 in runs/demo is intact", message);
        Assert.EndsWith("continue with: crnngan train --resume --out runs/demo", message);
        Assert.Contains("Expected false to be true", message);
        Assert.Contains("first epoch", first);
        Assert.EndsWith("starts again from its beginning with: crnngan train --resume --out runs/demo", first); // train refuses a folder that holds a run
    }
}
