using static TorchSharp.torch;

namespace CrnnGan.Model;

/// <summary>
/// A G's song traits (<see cref="ModelConfig.SongTraits"/>): the table of <see cref="SongTraits.TableRows"/> training
/// windows' traits it draws its free-running songs' traits from, then their mean, then their spread, kept as a buffer
/// of G (saved and loaded with its weights, never trained), and each song's traits as G reads them.
/// </summary>
public static class GeneratorSongTraits
{
    /// <summary>The buffer's name among G's weights.</summary>
    internal const string Buffer = "song_traits";

    /// <summary>The table before <see cref="SetSongTraits"/> fills it: no songs, mean 0, spread 1.</summary>
    internal static Tensor EmptyTable(ModelConfig config)
    {
        var table = zeros(SongTraits.TableRows + 2, config.SongTraitCount);
        table[SongTraits.TableRows + 1].fill_(1);
        return table;
    }

    /// <summary>Fills the table from real <paramref name="windows"/> (songs, events, values; scaled as G's events are),
    /// see <see cref="SongTraits.Table"/>.</summary>
    public static void SetSongTraits(this Generator generator, Tensor windows) =>
        SongTraits.Fill(Table(generator), windows, generator.Scaling, generator.Config.SongKeyTraits, generator.Config.SongLineTraits);

    /// <summary>Each song's traits as G reads them (songs, <see cref="ModelConfig.SongTraitCount"/>): those of
    /// <paramref name="events"/> (songs, events, values), normalised by the table's mean and spread.</summary>
    public static Tensor SongTraitsOf(this Generator generator, Tensor events) =>
        SongTraits.Normalised(Table(generator), events, generator.Scaling, generator.Config.SongKeyTraits, generator.Config.SongLineTraits);

    /// <summary>The traits of <paramref name="songs"/> rows of the table drawn at random, normalised.</summary>
    public static Tensor DrawSongTraits(this Generator generator, long songs) => SongTraits.Draw(Table(generator), songs);

    /// <summary>The table: <see cref="SongTraits.TableRows"/> rows of traits, then their mean, then their spread.</summary>
    internal static Tensor SongTraitsTable(this Generator generator) => Table(generator);

    /// <summary>Looked up by name each time: converting G's precision replaces its buffers.</summary>
    private static Tensor Table(Generator generator) =>
        generator.named_buffers(recurse: false).FirstOrDefault(b => b.name == Buffer).buffer
        ?? throw new InvalidOperationException("G reads no song traits (model.song_traits)");
}
