using static TorchSharp.torch;

namespace CrnnGan.Model;

/// <summary>One layer's weights of G's fused LSTM (gate order input, forget, cell, output).</summary>
internal sealed unsafe record LstmLayerWeights(Tensor InputWeight, Tensor InputBias, Tensor HiddenWeight, Tensor HiddenBias)
{
    private Tensor? _inputTransposed, _hiddenTransposed, _bias;

    /// <summary>
    /// Readies the step of <see cref="LstmKernels"/> (the weights transposed, the biases summed) for steps taken without
    /// autograd; call it in a dispose scope that outlives the steps.
    /// </summary>
    public LstmLayerWeights ForSteps()
    {
        using var noGrad = no_grad();
        _inputTransposed = InputWeight.t().contiguous();
        _hiddenTransposed = HiddenWeight.t().contiguous();
        _bias = InputBias + HiddenBias;
        return this;
    }

    /// <summary>
    /// One step of the layer. Stepping the fused module itself would give the same numbers, but its backward pass is
    /// several times slower when called once per step.
    /// </summary>
    public (Tensor H, Tensor C) Step(Tensor x, (Tensor H, Tensor C) state) => Step(x, state, out _);

    /// <param name="activations">The gates' activations (batch, 4 x hidden), which a backward pass needs.</param>
    public (Tensor H, Tensor C) Step(Tensor x, (Tensor H, Tensor C) state, out Tensor activations)
    {
        long batch = x.shape[0], hidden = state.C.shape[1];
        if (_bias is not null && !is_grad_enabled() && FusedLstm.Handles(x) && state.C.is_contiguous())
        {
            activations = addmm(_bias, x, _inputTransposed!, 1, 1).addmm_(state.H, _hiddenTransposed!);
            var c = empty(batch, hidden);
            using var tanhC = empty(batch, hidden);
            var h = empty(batch, hidden);
            LstmKernels.Forward(FusedLstm.Pointer(activations), FusedLstm.Pointer(state.C), FusedLstm.Pointer(c), FusedLstm.Pointer(tanhC),
                FusedLstm.Pointer(h), hidden, (int)batch, (int)hidden);
            return (h, c);
        }
        var gates = nn.functional.linear(x, InputWeight, InputBias) + nn.functional.linear(state.H, HiddenWeight, HiddenBias);
        var chunks = gates.chunk(4, 1);
        var (i, f, g, o) = (chunks[0].sigmoid(), chunks[1].sigmoid(), chunks[2].tanh(), chunks[3].sigmoid());
        activations = cat([i, f, g, o], 1);
        var cell = f * state.C + i * g;
        return (o * cell.tanh(), cell);
    }
}
