using CrnnGan.Cli;
using CrnnGan.Tests.Training;

namespace CrnnGan.Tests.Cli;

/// <summary>train --condition and generate --composer / --genre, end to end.</summary>
[Collection(TorchCollection.Name)]
public class ConditionedGenerateCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void AConditionedModelWritesTheComposerAskedForAndRefusesOnesItDoesNotKnow()
    {
        string corpus = ConditioningTests.LabelledCorpus(("baroque", "bach", 8), ("romantic", "chopin", 8), ("modern", "satie", 2));
        string run = _folder.File("run");
        var trained = CliRunner.Run("train", "--data", corpus, "--condition", "composer", "--set", "data.min_label_songs=3", "--hidden", "8",
            "--batch", "4", "--length", "16", "--epochs", "2", "--pretrain-epochs", "1", "--threads", "1", "--out", run,
            "--set", "run.validation_songs=4", "--set", "data.test_fraction=0");
        Assert.True(trained.ExitCode == ExitCodes.Success, trained.Output + trained.Error);
        Assert.Contains("grouped as \"other\"", trained.Output);
        Assert.Contains("labels: conditioned on composer: bach", trained.Output);

        var chopin = CliRunner.Run("generate", "--model", run, "--out", _folder.File("chopin"), "--composer", "CHOPIN", "-n", "2", "-s", "3", "--length", "10");
        Assert.True(chopin.ExitCode == ExitCodes.Success, chopin.Output + chopin.Error);
        Assert.Contains("composer: chopin", chopin.Output);

        var drawn = CliRunner.Run("generate", "--model", run, "--out", _folder.File("drawn"), "-n", "2", "-s", "3", "--length", "10");
        Assert.True(drawn.ExitCode == ExitCodes.Success, drawn.Output + drawn.Error);
        Assert.Contains("drawn in proportion to the training songs' (bach, chopin, other)", drawn.Output);

        var unknown = CliRunner.Run("generate", "--model", run, "--out", _folder.File("x"), "--composer", "mozart", "-n", "1");
        Assert.NotEqual(ExitCodes.Success, unknown.ExitCode);
        Assert.Contains("--composer mozart: the model knows no composer \"mozart\"; it knows bach, chopin, other", unknown.Error);

        var genre = CliRunner.Run("generate", "--model", run, "--out", _folder.File("y"), "--genre", "baroque", "-n", "1");
        Assert.NotEqual(ExitCodes.Success, genre.ExitCode);
        Assert.Contains("was trained by composer; use --composer (bach, chopin, other)", genre.Error);
    }

    [Fact]
    public void AnUnconditionedModelRefusesAComposer()
    {
        string run = _folder.File("plain");
        var trained = CliRunner.Run("train", "--preset", "demo", "--hidden", "8", "--epochs", "1", "--pretrain-epochs", "1", "--threads", "1",
            "--length", "16", "--out", run, "--set", "run.validation_songs=4", "--set", "data.synthetic_songs=20");
        Assert.True(trained.ExitCode == ExitCodes.Success, trained.Output + trained.Error);
        var result = CliRunner.Run("generate", "--model", run, "--out", _folder.File("z"), "--composer", "bach", "-n", "1");
        Assert.NotEqual(ExitCodes.Success, result.ExitCode);
        Assert.Contains("was not trained by composer or genre", result.Error);
    }
}
