using System.Diagnostics;
using System.Text;

namespace CrnnGan.Tests.Cli;

/// <summary>The built CLI (CrnnGan.Cli.dll next to the test assembly) run by the same dotnet host as the tests.</summary>
internal sealed class CliChild : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();

    private CliChild(Process process) => _process = process;

    public int Id => _process.Id;
    public int ExitCode => _process.ExitCode;
    public string Output { get { lock (_output) return _output.ToString(); } }
    public string Error { get { lock (_error) return _error.ToString(); } }

    public static CliChild Start(string[] args)
    {
        string? host = Environment.ProcessPath;
        if (host is null || !Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            host = "dotnet";
        var info = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "CrnnGan.Cli.dll"));
        foreach (string arg in args)
            info.ArgumentList.Add(arg);
        var child = new CliChild(Process.Start(info)!);
        child._process.OutputDataReceived += (_, e) => { lock (child._output) child._output.AppendLine(e.Data); };
        child._process.ErrorDataReceived += (_, e) => { lock (child._error) child._error.AppendLine(e.Data); };
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Polls <paramref name="condition"/> as fast as it can and sends SIGKILL the moment it holds.</summary>
    /// <returns>True if killed; false if the process ended first.</returns>
    public bool KillWhen(Func<bool> condition)
    {
        var limit = Stopwatch.StartNew();
        while (!_process.HasExited)
        {
            if (condition())
            {
                try
                {
                    _process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // It ended on its own just now.
                }
                _process.WaitForExit();
                return true;
            }
            Assert.True(limit.Elapsed < TimeSpan.FromSeconds(60), "the child neither reached the kill point nor ended");
        }
        _process.WaitForExit();
        return false;
    }

    /// <summary>Runs crnngan to its end (at most two minutes) and returns the finished child.</summary>
    public static CliChild Run(params string[] args)
    {
        var child = Start(args);
        Assert.True(child.Wait(TimeSpan.FromSeconds(120)), $"crnngan {string.Join(' ', args)} did not finish in two minutes");
        return child;
    }

    public bool Wait(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
            return false;
        _process.WaitForExit(); // flushes the redirected output
        return true;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
