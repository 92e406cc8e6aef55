using System.Runtime.InteropServices;

namespace CrnnGan.Runtime;

/// <summary>
/// libtorch's global switch for its oneDNN (mkldnn) kernels, <c>at::globalContext().setUserEnabledMkldnn</c>, which
/// TorchSharp does not expose. On the CPU, <c>nn.LSTM</c> runs on oneDNN when it is on; oneDNN's LSTM backward
/// always computes the weights' gradients, the native one only those asked for, so a backward pass that needs the
/// gradient of the input alone (G's step through D) is about twice as fast without it. Where the symbols are not
/// found (another libtorch build) the switch does nothing.
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

    /// <summary>Sets the switch until the result is disposed, then puts it back.</summary>
    public static IDisposable Use(bool enabled)
    {
        bool before = Enabled;
        Enabled = enabled;
        return new OnDispose(() => Enabled = before);
    }

    private static (IntPtr, SetEnabled, GetEnabled)? Find()
    {
        TorchRuntime.EnsureLoaded();
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
