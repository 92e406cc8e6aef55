using static TorchSharp.torch;

namespace CrnnGan.Model;

/// <summary>One layer's weights of G's fused LSTM (gate order input, forget, cell, output).</summary>
internal sealed record LstmLayerWeights(Tensor InputWeight, Tensor InputBias, Tensor HiddenWeight, Tensor HiddenBias)
{
    /// <summary>
    /// One step of the layer. Stepping the fused module itself would give the same numbers, but its backward pass is
    /// several times slower when called once per step.
    /// </summary>
    public (Tensor H, Tensor C) Step(Tensor x, (Tensor H, Tensor C) state)
    {
        var gates = nn.functional.linear(x, InputWeight, InputBias) + nn.functional.linear(state.H, HiddenWeight, HiddenBias);
        var chunks = gates.chunk(4, 1);
        var c = chunks[1].sigmoid() * state.C + chunks[0].sigmoid() * chunks[2].tanh();
        return (chunks[3].sigmoid() * c.tanh(), c);
    }
}
