namespace CrnnGan.Generation;

/// <summary>A model shipped with crnngan in the <c>models</c> folder next to the program.</summary>
/// <param name="Name">The paper's name of the model, as tables and charts show it.</param>
/// <param name="ReferenceFileName">The statistics of its training music (a ReferenceStatistics file), beside it.</param>
public sealed record BundledModel(string Name, string FileName, string ReferenceFileName, string Description)
{
    public string Path => System.IO.Path.Combine(BundledModels.Folder, FileName);

    public string ReferencePath => System.IO.Path.Combine(BundledModels.Folder, ReferenceFileName);
}

/// <summary>
/// The three models of the paper's comparison, trained on the classical corpus and shipped so that <c>compare</c>
/// can show it with nothing trained (see docs/RESULTS.md for how each was trained and how it measures).
/// </summary>
public static class BundledModels
{
    public static string Folder => System.IO.Path.Combine(AppContext.BaseDirectory, "models");

    /// <summary>What <c>generate</c> uses when no model is given.</summary>
    public static BundledModel CrnnGan { get; } = new("C-RNN-GAN", "crnngan-classical.bin", OneTone, "C-RNN-GAN, one tone per event");

    public static BundledModel CrnnGan3 { get; } = new("C-RNN-GAN-3", "crnngan3-classical.bin", "classical-3tones.reference.json", "C-RNN-GAN-3, up to three tones per event");

    public static BundledModel Baseline { get; } = new("baseline", "baseline-classical.bin", OneTone, "the baseline: G trained only to predict the next event");

    private const string OneTone = "classical-1tone.reference.json";

    public static IReadOnlyList<BundledModel> All { get; } = [CrnnGan, CrnnGan3, Baseline];
}
