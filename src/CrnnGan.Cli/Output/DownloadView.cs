using System.Diagnostics;
using CrnnGan.Data.Download;
using Spectre.Console;

namespace CrnnGan.Cli.Output;

/// <summary>
/// Shows a corpus download: on a terminal, a progress bar for the download and one for unpacking;
/// elsewhere (logs, pipes), a line every few seconds and one per stage. Retries are always reported.
/// </summary>
public sealed class DownloadView(IAnsiConsole console, string corpusName)
{
    private static readonly TimeSpan LineInterval = TimeSpan.FromSeconds(5);

    public DownloadResult Run(Func<IProgress<DownloadProgress>, DownloadResult> download) =>
        console.Profile.Capabilities.Interactive ? RunWithBars(download) : RunWithLines(download);

    private DownloadResult RunWithBars(Func<IProgress<DownloadProgress>, DownloadResult> download) =>
        console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var fetching = context.AddTask(Markup.Escape($"downloading {corpusName}"), maxValue: 1);
                fetching.IsIndeterminate = true;
                ProgressTask? unpacking = null;
                return download(new CallbackProgress<DownloadProgress>(p =>
                {
                    switch (p.Stage)
                    {
                        case DownloadStage.Downloading:
                            // Without a total the bar keeps pulsing and the description alone counts the bytes.
                            if (p.Total is { } total)
                            {
                                fetching.IsIndeterminate = false;
                                fetching.MaxValue = Math.Max(1, total);
                                fetching.Value = p.Done;
                            }
                            fetching.Description = Markup.Escape($"downloading {corpusName}: {Amount(p)}");
                            break;
                        case DownloadStage.Retrying:
                            fetching.Description = Markup.Escape($"downloading {corpusName}: {p.Message}");
                            break;
                        case DownloadStage.Verifying:
                            fetching.IsIndeterminate = false;
                            fetching.Value = fetching.MaxValue;
                            fetching.Description = Markup.Escape($"downloaded {corpusName}: {ByteSize.Format(p.Done)}");
                            fetching.StopTask();
                            break;
                        case DownloadStage.Unpacking:
                            unpacking ??= context.AddTask("unpacking", maxValue: Math.Max(1, p.Total ?? 1));
                            unpacking.Value = p.Done;
                            unpacking.Description = Markup.Escape($"unpacking: {p.Done} of {p.Total} files");
                            break;
                    }
                }));
            });

    private DownloadResult RunWithLines(Func<IProgress<DownloadProgress>, DownloadResult> download)
    {
        var sinceLine = Stopwatch.StartNew();
        var lastStage = DownloadStage.Downloading;
        return download(new CallbackProgress<DownloadProgress>(p =>
        {
            bool newStage = p.Stage != lastStage;
            lastStage = p.Stage;
            switch (p.Stage)
            {
                case DownloadStage.Downloading when sinceLine.Elapsed >= LineInterval:
                    sinceLine.Restart();
                    console.WriteLine($"downloading {corpusName}: {Amount(p)}");
                    break;
                case DownloadStage.Retrying:
                    console.WriteLine($"downloading {corpusName}: {p.Message}");
                    break;
                case DownloadStage.Verifying:
                    console.WriteLine($"downloaded {corpusName}: {ByteSize.Format(p.Done)}");
                    break;
                case DownloadStage.Unpacking when newStage:
                    console.WriteLine($"unpacking {p.Total} files");
                    break;
            }
        }));
    }

    private static string Amount(DownloadProgress p) => p.Total is { } total && total > 0
        ? $"{ByteSize.Format(p.Done)} of {ByteSize.Format(total)} ({100 * p.Done / total}%)"
        : ByteSize.Format(p.Done);
}
