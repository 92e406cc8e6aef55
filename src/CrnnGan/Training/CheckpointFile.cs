using CrnnGan.IO;
using CrnnGan.Model;
using TorchSharp.Modules;

using Generator = CrnnGan.Model.Generator;

namespace CrnnGan.Training;

/// <summary>
/// A checkpoint read whole into memory by <see cref="TrainingCheckpoint.Read(string)"/>: its header, and its weights
/// to load from the same bytes, so that a checkpoint replaced on disk meanwhile cannot mix into them.
/// </summary>
public sealed class CheckpointFile
{
    private readonly HeaderedFileContent<CheckpointHeader> _content;

    internal CheckpointFile(string path, CheckpointHeader header, HeaderedFileContent<CheckpointHeader> content)
    {
        Path = path;
        Header = header;
        _content = content;
    }

    public string Path { get; }
    public CheckpointHeader Header { get; }

    /// <summary>False for a checkpoint written before checksums, whose bytes could not be verified.</summary>
    public bool Checksummed => _content.Checksummed;

    /// <summary>Loads the weights into models (and optimisers) built from <see cref="Header"/>'s settings.</summary>
    /// <param name="discriminator">Null to load G alone (and the averaged G).</param>
    /// <param name="average">Receives the averaged G of a run that keeps one (see <see cref="OptimisationSettings.AverageDecay"/>);
    /// it may be <paramref name="generator"/> itself, to get the averaged weights alone.</param>
    public void LoadWeights(Generator generator, Discriminator? discriminator,
        OptimizerHelper? generatorOptimizer, OptimizerHelper? discriminatorOptimizer, Generator? average = null)
    {
        if (Header.Config.Networks != generator.Config)
            throw new CheckpointException(Path, $"its model ({TrainingCheckpoint.Describe(Header.Config.Networks)}) differs from the one asked for ({TrainingCheckpoint.Describe(generator.Config)})");
        using var reader = _content.OpenTensors();
        try
        {
            generator.load(reader, strict: true);
            if (Header.Config.Optimisation.AverageDecay > 0)
            {
                if (average is not null) average.load(reader, strict: true);
                else if (discriminator is not null)
                {
                    using var skipped = new Generator(Header.Config.Networks);
                    skipped.load(reader, strict: true);
                }
            }
            if (discriminator is null) return;
            discriminator.load(reader, strict: true);
            generatorOptimizer?.load_state_dict(reader);
            discriminatorOptimizer?.load_state_dict(reader);
            if (generatorOptimizer is null || discriminatorOptimizer is null) return;
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or InvalidDataException or ArgumentException or InvalidOperationException)
        {
            throw new CheckpointException(Path, $"truncated or corrupt weights ({e.Message})");
        }
        long left = reader.BaseStream.Length - reader.BaseStream.Position;
        if (left != 0)
            throw new CheckpointException(Path, $"corrupt checkpoint: {left} bytes follow the optimisers' state, where the file should end");
    }
}
