using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace CrnnGan.Runtime;

/// <summary>
/// Keeps TorchSharp's finalised scalars readable for a while, so that a native call still using one does not read freed
/// memory. TorchSharp 0.107.0 turns every number given to a tensor operation (the implicit <c>alpha = 1</c> of
/// <c>a + b</c>, the <c>1 - beta</c> of Adam's step) into a <c>Scalar</c> object that holds a native pointer and is
/// freed by its finaliser; the operation passes the pointer without keeping the object alive, so a garbage collection
/// started by another thread during the call can finalise it and free the native scalar while libtorch reads it. Under
/// CPU load this failed about once in 10,000 operations ("Expected false to be true" from <c>Scalar::toFloat</c>, or
/// "Unknown scalar type"), and it crashed a training run.
/// LibTorchSharp frees a scalar with <c>operator delete(p, 32)</c> through its PLT. This points that GOT slot at a
/// short function that passes every other size straight on and puts 32-byte blocks into a ring of
/// <see cref="RingSlots"/> entries, freeing the block it displaces: a scalar's memory (whose destructor does nothing for
/// numbers) stays intact until 2^18 further such blocks have been freed. x86-64 Linux only;
/// <c>CRNNGAN_SCALAR_DELAY=0</c> turns it off.
/// </summary>
public static class ScalarReleaseDelay
{
    public const int RingSlots = 1 << 18;
    private const string DeleteSized = "_ZdlPvm"; // operator delete(void*, unsigned long)

    public static bool Applied { get; private set; }

    public static string Status { get; private set; } = "not tried";

    /// <summary>Patches libLibTorchSharp.so's slot once it is loaded (called by <see cref="TorchRuntime.EnsureLoaded"/>).</summary>
    internal static void Apply() => Status = LoadedLibraries.Patch(ApplyOrSay);

    private static string ApplyOrSay()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64) return "not applied: not x86-64 Linux";
        if (Environment.GetEnvironmentVariable("CRNNGAN_SCALAR_DELAY")?.Trim() == "0") return "off (CRNNGAN_SCALAR_DELAY=0)";
        if (LoadedLibraries.Find("libLibTorchSharp.so") is not var (path, baseAddress, ranges)) return "not applied: libLibTorchSharp.so is not loaded";
        var (slots, relroStart, relroEnd) = ElfJumpSlots.Read(path, new HashSet<string> { DeleteSized });
        if (slots.Count != 1) return "not applied: this LibTorchSharp frees without a sized delete";
        var slot = slots[0];
        ulong slotAddress = baseAddress + slot.SlotAddress;
        if (!NativeLibrary.TryLoad("libstdc++.so.6", out IntPtr libstdcxx) || !NativeLibrary.TryGetExport(libstdcxx, DeleteSized, out IntPtr delete))
            return "not applied: no operator delete in libstdc++";
        IntPtr bound = Marshal.ReadIntPtr((IntPtr)(long)slotAddress);
        bool lazy = ranges.Any(r => (ulong)bound >= r.Start && (ulong)bound < r.End);
        if (!lazy && bound != delete) return "not applied: LibTorchSharp's delete is already redirected";

        IntPtr ring = LoadedLibraries.AllocateZeroed((ulong)RingSlots * 8 + 8, "the scalar release ring");
        IntPtr code = LoadedLibraries.ExecutableCode(Stub(ring + RingSlots * 8, ring, delete), "the scalar release delay");
        bool readOnly = slot.SlotAddress >= relroStart && slot.SlotAddress < relroEnd;
        if (!LoadedLibraries.WriteSlot(slotAddress, readOnly, code)) return "not applied: cannot unprotect the GOT";
        Applied = true;
        return "applied";
    }

    /// <summary>
    /// rdi = block, rsi = size. cmp rsi, 32; jne pass; mov eax, 1; mov rcx, counter; lock xadd [rcx], rax;
    /// and eax, RingSlots - 1; mov rcx, ring; xchg [rcx + rax*8], rdi; test rdi, rdi; je done;
    /// pass: mov rax, delete; jmp rax; done: ret. The displaced block is freed with rsi still 32.
    /// </summary>
    private static byte[] Stub(IntPtr counter, IntPtr ring, IntPtr delete)
    {
        var code = new List<byte>();
        void Bytes(params byte[] b) => code.AddRange(b);
        void Address(IntPtr a)
        {
            var b = new byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(b, a);
            code.AddRange(b);
        }
        Bytes(0x48, 0x83, 0xFE, 0x20);                       // cmp rsi, 32
        Bytes(0x75, 0x2C);                                   // jne pass (+44)
        Bytes(0xB8, 0x01, 0x00, 0x00, 0x00);                 // mov eax, 1
        Bytes(0x48, 0xB9); Address(counter);                 // mov rcx, counter
        Bytes(0xF0, 0x48, 0x0F, 0xC1, 0x01);                 // lock xadd [rcx], rax
        Bytes(0x25); Bytes(BitConverter.GetBytes(RingSlots - 1)); // and eax, RingSlots - 1
        Bytes(0x48, 0xB9); Address(ring);                    // mov rcx, ring
        Bytes(0x48, 0x87, 0x3C, 0xC1);                       // xchg [rcx + rax*8], rdi
        Bytes(0x48, 0x85, 0xFF);                             // test rdi, rdi
        Bytes(0x74, 0x0C);                                   // je done (+12)
        Bytes(0x48, 0xB8); Address(delete);                  // pass: mov rax, delete
        Bytes(0xFF, 0xE0);                                   // jmp rax
        Bytes(0xC3);                                         // done: ret
        if (code.Count != 63) throw new InvalidOperationException("scalar release stub miscounted");
        return [.. code];
    }
}
