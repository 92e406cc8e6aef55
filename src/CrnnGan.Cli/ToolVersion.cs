using System.Reflection;

namespace CrnnGan.Cli;

public static class ToolVersion
{
    /// <summary>The version from Directory.Build.props, e.g. "0.1.0" (without the "+commit" suffix the SDK may add).</summary>
    public static string Current { get; } =
        (typeof(ToolVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0")
        .Split('+')[0];
}
