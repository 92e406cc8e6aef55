using System.Runtime.InteropServices;

namespace CrnnGan.Runtime;

/// <summary>
/// libtorch's global switch for its oneDNN (mkldnn) kernels, <c>at::globalContext().setUserEnabledMkldnn</c>, which
/// TorchSharp does not expose. On the CPU, <c>nn.LSTM</c> runs on oneDNN when it is on; oneDNN's LSTM backward
/// always computes the weights' gradients, the native one only those asked for, so a backward pass that needs the
/// gradient of the input alone (G's step through D) is about twice as fast without it. Where the symbols are not
/// found (another libtorch build) the switch does nothing.
/// The process starts with it off where <see cref="MklDispatch"/> gave MKL its AVX-512 kernels (non-Intel CPUs with
/// AVX-512): there oneDNN's LSTM runs its reference implementation ("rnn,ref" in ONEDNN_VERBOSE) at a fraction of the
/// rate MKL reaches on the same products, and the native LSTM (its products on MKL) made the adversarial iteration
/// about 2x faster (bench/README.md). Elsewhere it stays on, as measured on Intel. <c>CRNNGAN_ONEDNN=0</c> or <c>=1</c>
/// sets it for the whole process.
/// </summary>
public static class OneDnn
{
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate IntPtr GlobalContext();
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void SetEnabled(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    [return: MarshalAs(UnmanagedType.U1)]
    private delegate bool GetEnabled(IntPtr context);

    private static readonly Lazy<(IntPtr Context, SetEnabled Set, GetEnabled Get)?> Functions = new(Find);

    public static bool IsAvailable => Functions.Value is not null;

    public static bool Enabled
    {
        get => Functions.Value is not { } f || f.Get(f.Context);
        set
        {
            if (Functions.Value is { } f) f.Set(f.Context, value);
        }
    }

    /// <summary>Whether the process starts with oneDNN on: CRNNGAN_ONEDNN's "0" or "1" if set, else on unless MKL got
    /// its AVX-512 kernels by <see cref="MklDispatch"/>.</summary>
    public static bool WantedAtStart(string? setting, bool mklAvx512Patched) => setting?.Trim() switch
    {
        "0" => false,
        "1" => true,
        _ => !mklAvx512Patched,
    };

    /// <summary>Sets the switch as <see cref="WantedAtStart"/> says (called once libtorch is loaded).</summary>
    internal static void ApplyStartSetting()
    {
        bool wanted = WantedAtStart(Environment.GetEnvironmentVariable("CRNNGAN_ONEDNN"), MklDispatch.Applied);
        // Not through Functions: this runs inside EnsureLoaded, which Functions' own first use may be waiting on.
        if (FindLoaded() is { } f && f.Get(f.Context) != wanted) f.Set(f.Context, wanted);
    }

    /// <summary>Sets the switch until the result is disposed, then puts it back.</summary>
    public static IDisposable Use(bool enabled)
    {
        bool before = Enabled;
        Enabled = enabled;
        return new OnDispose(() => Enabled = before);
    }

    private static (IntPtr Context, SetEnabled Set, GetEnabled Get)? Find()
    {
        TorchRuntime.EnsureLoaded();
        return FindLoaded();
    }

    private static (IntPtr Context, SetEnabled Set, GetEnabled Get)? FindLoaded()
    {
        // libtorch_cpu is loaded by now; opening it by its soname returns the loaded copy.
        if (!NativeLibrary.TryLoad("libtorch_cpu.so", out IntPtr library)) return null;
        if (!NativeLibrary.TryGetExport(library, "_ZN2at13globalContextEv", out IntPtr context)
            || !NativeLibrary.TryGetExport(library, "_ZN2at7Context20setUserEnabledMkldnnEb", out IntPtr set)
            || !NativeLibrary.TryGetExport(library, "_ZNK2at7Context17userEnabledMkldnnEv", out IntPtr get))
            return null;
        return (Marshal.GetDelegateForFunctionPointer<GlobalContext>(context)(),
                Marshal.GetDelegateForFunctionPointer<SetEnabled>(set),
                Marshal.GetDelegateForFunctionPointer<GetEnabled>(get));
    }
}
