using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace CrnnGan.Runtime;

/// <summary>
/// Makes TorchSharp's native shim loadable before any tensor work.
/// TorchSharp-cpu 0.107.0 ships a <c>libLibTorchSharp.so</c> that requires <c>GLIBCXX_3.4.32</c>
/// (GCC 13's libstdc++) for one symbol nothing relocates against. On older systems (Debian 12)
/// we load a copy whose missing version requirements are marked weak; where the original loads, nothing changes.
/// </summary>
public static partial class TorchRuntime
{
    private const string ShimName = "libLibTorchSharp.so";
    private const int MaxPatchRounds = 8;
    private static readonly object Gate = new();
    private static bool _loaded;

    /// <summary>Where the shim was loaded from: the original package file or the patched cached copy.</summary>
    public static string? LoadedShimPath { get; private set; }

    /// <summary>True when the patched copy had to be used.</summary>
    public static bool UsedPatchedShim { get; private set; }

    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (_loaded) return;
            HeapTuning.Apply();
            if (OperatingSystem.IsLinux())
            {
                LoadLinuxShim();
                MklDispatch.Apply(); // before MKL's first product: it detects the CPU once
                ScalarReleaseDelay.Apply();
            }
            _loaded = true;
            OneDnn.ApplyStartSetting(); // needs the library loaded (it calls back here, now a no-op)
        }
    }

    private static void LoadLinuxShim()
    {
        string? original = FindShim();
        if (original is null) return; // TorchSharp will report the missing package itself.

        string? error = TryLoad(original, out _);
        if (error is null)
        {
            LoadedShimPath = original;
            return;
        }

        var missing = new HashSet<string>(StringComparer.Ordinal);
        string? version = MissingVersion(error);
        if (version is null)
            throw new TorchRuntimeException($"Cannot load {original}: {error}");

        byte[] elf = File.ReadAllBytes(original);
        string hash = Convert.ToHexStringLower(SHA256.HashData(elf));
        PreloadDependencies(Path.GetDirectoryName(original)!);

        for (int round = 0; version is not null && round < MaxPatchRounds; round++)
        {
            if (!missing.Add(version))
                throw new TorchRuntimeException($"Cannot load {original}: {error}");
            string patched = PatchedCopy(elf, hash, missing);
            error = TryLoad(patched, out nint handle);
            if (error is null)
            {
                RouteTorchSharpTo(handle);
                LoadedShimPath = patched;
                UsedPatchedShim = true;
                return;
            }
            version = MissingVersion(error);
        }
        throw new TorchRuntimeException($"Cannot load {original} even with relaxed version requirements: {error}");
    }

    private static string? FindShim()
    {
        string rid = $"linux-{RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()}";
        string?[] folders = [AppContext.BaseDirectory, Path.GetDirectoryName(typeof(TorchSharp.torch).Assembly.Location)];
        foreach (string folder in folders.OfType<string>().Where(f => f.Length > 0).Distinct())
        {
            foreach (string candidate in new[] { Path.Combine(folder, "runtimes", rid, "native", ShimName), Path.Combine(folder, ShimName) })
                if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>The patched shim must find libtorch by soname, as its $ORIGIN runpath now points at the cache.</summary>
    private static void PreloadDependencies(string folder)
    {
        foreach (string name in new[] { "libc10.so", "libtorch_cpu.so", "libtorch.so" })
        {
            string path = Path.Combine(folder, name);
            if (File.Exists(path)) NativeLibrary.Load(path);
        }
    }

    private static string PatchedCopy(byte[] original, string hash, IReadOnlySet<string> weakVersions)
    {
        string tag = string.Join("+", weakVersions.Order(StringComparer.Ordinal));
        string folder = Path.Combine(CacheRoot(), "native", hash, SanitiseTag(tag));
        string path = Path.Combine(folder, ShimName);
        if (File.Exists(path)) return path;

        byte[] copy = (byte[])original.Clone();
        if (ElfVersionPatcher.MarkWeak(copy, weakVersions) == 0)
            throw new TorchRuntimeException($"{ShimName} does not require {tag}; cannot relax it");
        Directory.CreateDirectory(folder);
        string temp = Path.Combine(folder, $".{ShimName}.{Environment.ProcessId}.tmp");
        File.WriteAllBytes(temp, copy);
        File.Move(temp, path, overwrite: true);
        return path;
    }

    private static string CacheRoot()
    {
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        string root = !string.IsNullOrEmpty(xdg)
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        if (string.IsNullOrEmpty(root) || root == ".cache") root = Path.Combine(Path.GetTempPath(), "crnngan-cache");
        return Path.Combine(root, "crnngan");
    }

    private static string SanitiseTag(string tag) => Regex.Replace(tag, "[^A-Za-z0-9_.+-]", "_");

    private static void RouteTorchSharpTo(nint handle)
    {
        try
        {
            NativeLibrary.SetDllImportResolver(typeof(TorchSharp.torch).Assembly,
                (name, _, _) => name is "LibTorchSharp" or ShimName ? handle : IntPtr.Zero);
        }
        catch (InvalidOperationException)
        {
            // A resolver is already set; the loader still finds the shim by its soname, which is loaded now.
        }
    }

    private static string? TryLoad(string path, out nint handle)
    {
        try
        {
            handle = NativeLibrary.Load(path);
            return null;
        }
        catch (DllNotFoundException e)
        {
            handle = 0;
            return e.Message;
        }
    }

    private static string? MissingVersion(string loaderError)
    {
        var match = MissingVersionPattern().Match(loaderError);
        return match.Success ? match.Groups[1].Value : null;
    }

    [GeneratedRegex(@"version [`'](\S+?)' not found")]
    private static partial Regex MissingVersionPattern();
}

public sealed class TorchRuntimeException(string message) : Exception(message);
