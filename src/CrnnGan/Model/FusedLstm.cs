using TorchSharp;
using static TorchSharp.torch;

namespace CrnnGan.Model;

/// <summary>
/// A stacked, optionally bidirectional LSTM with nn.LSTM's weights, gate order and numbers, as one autograd function:
/// per layer and direction one product for every step's input, then per step one product for the recurrence and
/// <see cref="LstmKernels"/> for the gate arithmetic; its backward pass is written out the same way, with each
/// weight's gradient one product over all steps. At D's size a pass with its backward takes 0.75-0.8 of the time of
/// libtorch's own LSTM, whose gate arithmetic is a dozen small operations per step, each recorded for autograd (a
/// forward pass alone, without autograd, is about 10% slower: bench/README.md, session 23).
/// Dropout between layers takes masks drawn by the caller (see <see cref="Discriminator.MasksBetweenLayers"/>).
/// </summary>
internal sealed unsafe class FusedLstm : autograd.MultiTensorFunction<FusedLstm>
{
    public override string Name => nameof(FusedLstm);

    /// <summary>Whether <see cref="Run"/> can take this input: float32 on the CPU.</summary>
    public static bool Handles(Tensor input) => input.dtype == ScalarType.Float32 && input.device_type == DeviceType.CPU;

    /// <param name="input">(batch, length, inputs), float32 on the CPU.</param>
    /// <param name="weights">Per layer, per direction (forward, then reverse): nn.LSTM's weight_ih, weight_hh,
    /// bias_ih, bias_hh. Weights that need no gradient get none (and cost none).</param>
    /// <param name="masksBetweenLayers">Per layer after the first, the dropout mask (batch, length, directions x
    /// hidden) its input is multiplied by, or null.</param>
    /// <returns>(batch, length, directions x hidden): the last layer's outputs.</returns>
    public static Tensor Run(Tensor input, IReadOnlyList<Tensor> weights, int directions, Tensor?[] masksBetweenLayers)
    {
        int layers = weights.Count / (4 * directions);
        if (layers < 1 || weights.Count != 4 * directions * layers || masksBetweenLayers.Length != layers - 1)
            throw new ArgumentException($"{weights.Count} weights and {masksBetweenLayers.Length} masks do not make an LSTM of {directions} direction(s)");
        var call = new Call(layers, directions, (int)weights[1].shape[1], masksBetweenLayers, weights.ToArray());
        bool recorded = is_grad_enabled() && (input.requires_grad || weights.Any(w => w.requires_grad));
        try
        {
            return apply([input, call, .. weights])[0];
        }
        finally
        {
            if (!recorded) call.Release(); // no backward pass will come for it
        }
    }

    /// <summary>Dropout masks between <paramref name="layers"/> layers, as nn.LSTM's dropout draws them in training:
    /// per layer after the first, (batch, length, width) of 0 or 1 / (1 - p); nulls when not training or p is 0.</summary>
    public static Tensor?[] DropoutMasks(int layers, long batch, long length, long width, double p, bool training, Device device) =>
        Enumerable.Range(0, layers - 1)
            .Select(_ => training && p > 0 ? bernoulli(full(new[] { batch, length, width }, 1 - p, device: device)).div_(1 - p) : null)
            .ToArray();

    /// <summary>
    /// One call's shape and what its forward pass keeps for the backward pass. Kept here rather than in autograd's
    /// saved variables, which libtorch frees after a backward pass only for its own functions: for this one they would
    /// live until the graph's last tensor is finalized, about 80 MB per D pass. The backward pass frees them; a pass
    /// never differentiated frees them when the garbage collector finds the call, prompted by the memory it declares.
    /// </summary>
    private sealed class Call(int layers, int directions, int hidden, Tensor?[] masks, Tensor[] weights)
    {
        private List<Tensor?>? _kept;
        private long _bytes;

        public int Layers => layers;
        public int Directions => directions;
        public int Hidden => hidden;
        public Tensor?[] Masks => masks;
        public Tensor[] Weights => weights;
        public bool InputGradient { get; set; }
        public bool WeightGradients { get; set; }

        public List<Tensor?> Kept => _kept ?? throw new InvalidOperationException("FusedLstm's backward pass ran twice for one forward pass");

        public void Keep(List<Tensor?> tensors)
        {
            _kept = tensors;
            _bytes = Distinct(tensors).Sum(t => t.NumberOfElements * 4);
            GC.AddMemoryPressure(_bytes);
        }

        public void Release()
        {
            if (_kept is null) return;
            foreach (var tensor in Distinct(_kept)) LstmBuffers.Return(tensor);
            _kept = null;
            GC.RemoveMemoryPressure(_bytes);
            GC.SuppressFinalize(this);
        }

        // A layer without a mask reads the layer below's output itself: kept twice, counted and given back once.
        private static IEnumerable<Tensor> Distinct(List<Tensor?> tensors) =>
            tensors.OfType<Tensor>().Distinct(ReferenceEqualityComparer.Instance).Cast<Tensor>();

        ~Call()
        {
            if (_kept is not null) GC.RemoveMemoryPressure(_bytes); // its tensors finalize themselves
        }
    }

    // Kept per layer: its input (masked), its output, the mask its input was multiplied by (time-major, or null), then
    // per direction the activations, c and tanh(c).
    private const int PerLayer = 3, PerDirection = 3;

    public override List<Tensor> forward(autograd.AutogradContext ctx, params object[] vars)
    {
        using var scope = NewDisposeScope();
        var input = (Tensor)vars[0];
        var call = (Call)vars[1];
        var weights = vars[2..].Cast<Tensor>().ToArray();
        call.InputGradient = input.requires_grad;
        call.WeightGradients = weights.Any(w => w.requires_grad);
        long batch = input.shape[0], length = input.shape[1];
        int hidden = call.Hidden, directions = call.Directions, width = directions * hidden;
        var kept = new List<Tensor?>();
        // Time-major: each step's batch is one block.
        var x = LstmBuffers.Rent(length, batch, input.shape[2]).copy_(input.transpose(0, 1));
        for (int l = 0; l < call.Layers; l++)
        {
            Tensor? mask = null;
            if (l > 0 && call.Masks[l - 1] is { } given)
            {
                mask = LstmBuffers.Rent(length, batch, width).copy_(given.transpose(0, 1));
                x = LstmBuffers.Rent(length, batch, width).copy_(x).mul_(mask);
            }
            var output = LstmBuffers.Rent(length, batch, width);
            kept.AddRange([x, output, mask]);
            for (int d = 0; d < directions; d++)
            {
                var (inputWeight, hiddenWeight, inputBias, hiddenBias) = Weights(weights, l, d, directions);
                var gates = LstmBuffers.Rent(length, batch, 4 * hidden).copy_(inputBias + hiddenBias);
                gates.view(length * batch, 4 * hidden).addmm_(x.view(length * batch, -1), inputWeight.t());
                var recurrent = hiddenWeight.t().contiguous();
                var c = LstmBuffers.Rent(length, batch, hidden);
                var tanhC = LstmBuffers.Rent(length, batch, hidden);
                float* gatesAt = Pointer(gates), cAt = Pointer(c), tanhAt = Pointer(tanhC), outputAt = Pointer(output);
                for (long s = 0; s < length; s++)
                {
                    long t = d == 0 ? s : length - 1 - s, previous = d == 0 ? t - 1 : t + 1;
                    if (s > 0)
                    {
                        using var stepGates = gates[t];
                        using var h = output[previous].narrow(1, d * hidden, hidden);
                        stepGates.addmm_(h, recurrent);
                    }
                    LstmKernels.Forward(gatesAt + t * batch * 4 * hidden, s > 0 ? cAt + previous * batch * hidden : null,
                        cAt + t * batch * hidden, tanhAt + t * batch * hidden, outputAt + t * batch * width + d * hidden, width,
                        (int)batch, hidden);
                }
                kept.AddRange([gates, c, tanhC]);
            }
            x = output;
        }
        call.Keep(kept);
        ctx.save_data("call", call);
        return [x.transpose(0, 1).contiguous().MoveToOuterDisposeScope()];
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, List<Tensor> gradOutputs)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var call = (Call)ctx.get_data("call");
        var saved = call.Kept;
        int hidden = call.Hidden, directions = call.Directions, width = directions * hidden, layers = call.Layers;
        int perLayer = PerLayer + PerDirection * directions;
        var weights = call.Weights;
        long length = gradOutputs[0].shape[1], batch = gradOutputs[0].shape[0];
        var rented = new List<Tensor>();
        Tensor Rent(params long[] shape)
        {
            var buffer = LstmBuffers.Rent(shape);
            rented.Add(buffer);
            return buffer;
        }
        var dY = Rent(length, batch, width).copy_(gradOutputs[0].transpose(0, 1));
        var weightGradients = new Tensor?[weights.Length];
        Tensor? inputGradient = null;
        for (int l = layers - 1; l >= 0; l--)
        {
            var x = saved[l * perLayer]!;
            var output = saved[l * perLayer + 1]!;
            long inputs = x.shape[2];
            var dX = l > 0 || call.InputGradient ? Rent(length * batch, inputs).zero_() : null;
            float* dYAt = Pointer(dY);
            for (int d = 0; d < directions; d++)
            {
                int at = l * perLayer + PerLayer + PerDirection * d;
                var (activations, c, tanhC) = (saved[at]!, saved[at + 1]!, saved[at + 2]!);
                var (inputWeight, hiddenWeight, _, _) = Weights(weights, l, d, directions);
                var dGates = Rent(length, batch, 4 * hidden);
                var dc = Rent(batch, hidden).zero_();
                var dhRecurrent = Rent(batch, hidden);
                float* actAt = Pointer(activations), cAt = Pointer(c), tanhAt = Pointer(tanhC), dGatesAt = Pointer(dGates);
                float* dcAt = Pointer(dc), dhAt = Pointer(dhRecurrent);
                for (long s = length - 1; s >= 0; s--)
                {
                    long t = d == 0 ? s : length - 1 - s, previous = d == 0 ? t - 1 : t + 1;
                    LstmKernels.Backward(actAt + t * batch * 4 * hidden, s > 0 ? cAt + previous * batch * hidden : null,
                        tanhAt + t * batch * hidden, dYAt + t * batch * width + d * hidden, width, s < length - 1 ? dhAt : null,
                        dcAt, dGatesAt + t * batch * 4 * hidden, (int)batch, hidden);
                    if (s > 0)
                    {
                        using var stepGradient = dGates[t];
                        dhRecurrent.addmm_(stepGradient, hiddenWeight, beta: 0);
                    }
                }
                var allGates = dGates.view(length * batch, 4 * hidden);
                if (call.WeightGradients)
                {
                    int w = 4 * ((l * directions) + d);
                    weightGradients[w] = allGates.t().mm(x.view(length * batch, inputs));
                    // Step t's recurrent product read h of the step before it in the direction's order.
                    var laterGates = dGates.narrow(0, d == 0 ? 1 : 0, length - 1).reshape(-1, 4 * hidden);
                    var earlierH = output.narrow(0, d == 0 ? 0 : 1, length - 1).narrow(2, d * hidden, hidden).reshape(-1, hidden);
                    weightGradients[w + 1] = laterGates.t().mm(earlierH);
                    weightGradients[w + 2] = allGates.sum([0L]);
                    weightGradients[w + 3] = weightGradients[w + 2]!.clone();
                }
                dX?.addmm_(allGates, inputWeight);
            }
            if (dX is null) continue;
            var dInput = dX.view(length, batch, inputs);
            if (l > 0)
                dY = saved[l * perLayer + 2] is { } mask ? dInput.mul_(mask) : dInput;
            else
                inputGradient = dInput.transpose(0, 1).contiguous();
        }
        var result = new List<Tensor> { inputGradient!, null! };
        foreach (var gradient in weightGradients) result.Add(gradient!);
        foreach (var tensor in result) tensor?.MoveToOuterDisposeScope();
        foreach (var buffer in rented) LstmBuffers.Return(buffer);
        call.Release();
        return result;
    }

    private static (Tensor InputWeight, Tensor HiddenWeight, Tensor InputBias, Tensor HiddenBias) Weights(Tensor[] weights, int layer, int direction, int directions)
    {
        int at = 4 * (layer * directions + direction);
        return (weights[at], weights[at + 1], weights[at + 2], weights[at + 3]);
    }

    internal static float* Pointer(Tensor tensor)
    {
        if (!tensor.is_contiguous()) throw new InvalidOperationException("FusedLstm reads only contiguous buffers");
        return (float*)StorageData(tensor.Handle) + tensor.storage_offset();
    }

    // TorchSharp's own entry point (Tensor.storage<T>() goes through it too, with a tensor wrapper per call).
    [System.Runtime.InteropServices.DllImport("LibTorchSharp", EntryPoint = "THSStorage_data_ptr")]
    private static extern IntPtr StorageData(IntPtr tensor);
}
