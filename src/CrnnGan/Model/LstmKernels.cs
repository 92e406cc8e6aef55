using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace CrnnGan.Model;

/// <summary>
/// One LSTM step's gate arithmetic for a whole batch in one pass, forward and backward, on buffers libtorch holds
/// (gate order input, forget, cell, output, as nn.LSTM's). Called once per step by <see cref="FusedLstm"/> between
/// two matrix products; libtorch would spend about ten element-wise operations, each with its own dispatch and
/// allocation, and twice that in autograd's backward, on the same small tensors.
/// </summary>
internal static unsafe class LstmKernels
{
    /// <summary>
    /// Turns each row's pre-activations (4 x <paramref name="hidden"/> at <paramref name="gates"/>, rows
    /// 4 x hidden apart) into activations in place, then writes c = f * cPrevious + i * g, tanh(c) and
    /// h = o * tanh(c). <paramref name="cPrevious"/> null: the first step (c starts at 0).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: no tiering up through slow code
    public static void Forward(float* gates, float* cPrevious, float* c, float* tanhC, float* h, long hRowStride, int batch, int hidden)
    {
        for (int b = 0; b < batch; b++)
        {
            float* g = gates + (long)b * 4 * hidden;
            var ifGates = new Span<float>(g, 2 * hidden);
            TensorPrimitives.Sigmoid(ifGates, ifGates);
            var cellGate = new Span<float>(g + 2 * hidden, hidden);
            TensorPrimitives.Tanh(cellGate, cellGate);
            var outGate = new Span<float>(g + 3 * hidden, hidden);
            TensorPrimitives.Sigmoid(outGate, outGate);

            var input = new ReadOnlySpan<float>(g, hidden);
            var forget = new ReadOnlySpan<float>(g + hidden, hidden);
            var cRow = new Span<float>(c + (long)b * hidden, hidden);
            if (cPrevious is null) TensorPrimitives.Multiply(input, cellGate, cRow);
            else
            {
                TensorPrimitives.Multiply(forget, new ReadOnlySpan<float>(cPrevious + (long)b * hidden, hidden), cRow);
                TensorPrimitives.FusedMultiplyAdd(input, cellGate, cRow, cRow);
            }
            var tanhRow = new Span<float>(tanhC + (long)b * hidden, hidden);
            TensorPrimitives.Tanh(cRow, tanhRow);
            TensorPrimitives.Multiply(outGate, tanhRow, new Span<float>(h + b * hRowStride, hidden));
        }
    }

    /// <summary>
    /// The step's backward pass: from the activations, c's previous value (null: the first step) and tanh(c) of the
    /// forward pass, the gradient reaching h (<paramref name="dhOutput"/> from the layer's output, rows
    /// <paramref name="dhOutputRowStride"/> apart, plus <paramref name="dhRecurrent"/> from the next step, null at the
    /// last) and reaching c (<paramref name="dc"/>, 0 at the last step), writes the pre-activations' gradient to
    /// <paramref name="dGates"/> and the gradient reaching the previous c over <paramref name="dc"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward(float* activations, float* cPrevious, float* tanhC, float* dhOutput, long dhOutputRowStride,
        float* dhRecurrent, float* dc, float* dGates, int batch, int hidden)
    {
        int width = Vector<float>.Count;
        var one = Vector<float>.One;
        for (int b = 0; b < batch; b++)
        {
            float* a = activations + (long)b * 4 * hidden, d = dGates + (long)b * 4 * hidden;
            float* cp = cPrevious is null ? null : cPrevious + (long)b * hidden;
            float* th = tanhC + (long)b * hidden, dho = dhOutput + b * dhOutputRowStride, dcr = dc + (long)b * hidden;
            float* dhr = dhRecurrent is null ? null : dhRecurrent + (long)b * hidden;
            int j = 0;
            for (; j <= hidden - width; j += width)
            {
                var i = Load(a + j); var f = Load(a + hidden + j); var g = Load(a + 2 * hidden + j); var o = Load(a + 3 * hidden + j);
                var t = Load(th + j);
                var dh = Load(dho + j);
                if (dhr is not null) dh += Load(dhr + j);
                var dC = Load(dcr + j) + dh * o * (one - t * t);
                var cPrev = cp is null ? Vector<float>.Zero : Load(cp + j);
                Store(d + j, dC * g * i * (one - i));
                Store(d + hidden + j, dC * cPrev * f * (one - f));
                Store(d + 2 * hidden + j, dC * i * (one - g * g));
                Store(d + 3 * hidden + j, dh * t * o * (one - o));
                Store(dcr + j, dC * f);
            }
            for (; j < hidden; j++)
            {
                float i = a[j], f = a[hidden + j], g = a[2 * hidden + j], o = a[3 * hidden + j], t = th[j];
                float dh = dho[j] + (dhr is null ? 0 : dhr[j]);
                float dC = dcr[j] + dh * o * (1 - t * t);
                float cPrev = cp is null ? 0 : cp[j];
                d[j] = dC * g * i * (1 - i);
                d[hidden + j] = dC * cPrev * f * (1 - f);
                d[2 * hidden + j] = dC * i * (1 - g * g);
                d[3 * hidden + j] = dh * t * o * (1 - o);
                dcr[j] = dC * f;
            }
        }
    }

    private static Vector<float> Load(float* p) => Vector.Load(p);

    private static void Store(float* p, Vector<float> v) => v.Store(p);
}
