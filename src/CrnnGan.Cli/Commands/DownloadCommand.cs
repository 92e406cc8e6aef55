using System.CommandLine;
using CrnnGan.Cli.Output;
using CrnnGan.Data.Download;
using Spectre.Console;

namespace CrnnGan.Cli.Commands;

/// <summary><c>crnngan download NAME</c>: fetches a known MIDI corpus into DIR/NAME; <c>--list</c> shows the known ones.</summary>
public static class DownloadCommand
{
    public const string DefaultOutFolder = "data";

    private sealed record Options(string? Name, string OutFolder, bool List, bool Force, string? Url);

    public static Command Create(CliContext context)
    {
        var name = new Argument<string?>("NAME")
        {
            Description = $"Corpus to fetch: {string.Join(", ", KnownCorpora.Names)}",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var output = new Option<string>("--out", "-o")
        {
            Description = "Folder to put the corpus in; it lands in DIR/NAME",
            HelpName = "DIR",
            DefaultValueFactory = _ => DefaultOutFolder,
        };
        var list = new Option<bool>("--list") { Description = "Show the known corpora: size, licence, description and URL" };
        var force = new Option<bool>("--force") { Description = "Replace DIR/NAME if it already holds files" };
        var url = new Option<string?>("--url")
        {
            Description = "Fetch the corpus's archive from this URL instead (a mirror, or a local server in tests)",
            HelpName = "URL",
            Hidden = true,
        };

        var command = new Command("download", "Fetch a known MIDI corpus (the paper's classical music, MAESTRO)") { name, output, list, force, url };
        command.SetAction(parse => Run(context, new Options(
            parse.GetValue(name), parse.GetValue(output)!, parse.GetValue(list), parse.GetValue(force), parse.GetValue(url))));
        return command;
    }

    private static int Run(CliContext context, Options options)
    {
        if (options.List)
        {
            ShowList(context.Console, context.Command("download"));
            return ExitCodes.Success;
        }

        string known = string.Join(", ", KnownCorpora.Names);
        if (options.Name is null)
            throw new UsageException($"download needs a corpus NAME ({known}), or --list");
        var corpus = KnownCorpora.Find(options.Name)
            ?? throw new UsageException($"unknown corpus '{options.Name}'{(ParseErrors.DidYouMean(options.Name, KnownCorpora.Names) is { Length: > 0 } hint ? hint : ";")} known corpora: {known} " +
                                        $"({context.Command("download --list")} describes them)");
        if (options.Url is not null)
            corpus = corpus with { Url = options.Url };
        Uri url = CorpusDownloader.ParseUrl(corpus);
        string target = CorpusDownloader.TargetFolder(options.OutFolder, corpus);
        OutputPaths.RequireCreatableFolder(target, "--out");
        if (!options.Force && CorpusDownloader.HoldsAnything(target))
            throw new UsageException($"{target} already holds files; use --force to replace them");

        var console = context.Console;
        console.WriteLine($"downloading {corpus.Name} from {corpus.Url} into {target}");
        console.WriteLine($"licence: {corpus.Licence}");

        using var http = CorpusDownloader.CreateHttpClient(url);
        var downloader = new CorpusDownloader(http, new DownloadOptions { Force = options.Force });
        using var cancel = new CtrlC();
        try
        {
            var result = new DownloadView(console, corpus.Name).Run(progress =>
                downloader.DownloadAsync(corpus, options.OutFolder, progress, cancel.Token).GetAwaiter().GetResult());
            console.WriteLine(result.ChecksumVerified
                ? $"SHA-256 {result.Sha256} matches the known checksum"
                : $"SHA-256 {result.Sha256} (no checksum is known for {corpus.Name}, so it could not be checked)");
            console.WriteLine($"unpacked {Counted.Of(result.FileCount, "file")} into {result.Folder} ({ByteSize.Format(result.ArchiveBytes)} archive); " +
                              $"train on it with: {context.Command($"train --data {result.Folder}")}");
            return ExitCodes.Success;
        }
        catch (OperationCanceledException) when (cancel.Pressed)
        {
            context.WriteError($"download interrupted; what arrived is kept in {CorpusDownloader.PartialFile(options.OutFolder, corpus)} " +
                               "and running the same command resumes it");
            return ExitCodes.Interrupted;
        }
        catch (DownloadException e)
        {
            context.WriteError(e.Message);
            return ExitCodes.Failure;
        }
    }

    private static void ShowList(IAnsiConsole console, string command)
    {
        var table = new Table().Title("Known corpora");
        table.AddColumns("Name", "Size");
        table.AddColumn("Licence", column => column.Width(24));
        table.AddColumns("SHA-256", "Description and URL");
        foreach (var corpus in KnownCorpora.All)
        {
            table.AddRow(
                Markup.Escape(corpus.Name),
                corpus.SizeBytes is { } size ? $"~{ByteSize.Format(size)}" : "unknown",
                Markup.Escape(corpus.Licence),
                corpus.Sha256 is null ? "unknown" : "known",
                $"{Markup.Escape(corpus.Description)}\n[link]{Markup.Escape(corpus.Url)}[/]");
        }
        console.Write(table);
        console.WriteLine($"{command} NAME [--out DIR] puts a corpus into DIR/NAME ({DefaultOutFolder}/NAME unless --out). " +
                          "Where no SHA-256 is known, the archive's is shown but cannot be checked. " +
                          "The corpora are not crnngan's: their licences apply to what you do with them.");
    }
}
