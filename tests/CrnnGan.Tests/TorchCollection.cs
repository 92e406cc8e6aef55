namespace CrnnGan.Tests;

/// <summary>Tests that use TorchSharp share its process-wide RNG and thread settings, so they never run in parallel.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchCollection
{
    public const string Name = "torch";
}
