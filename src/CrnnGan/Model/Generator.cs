using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CrnnGan.Model;

/// <summary>
/// G: at each step, concat(z_t, previous event) -> linear + ReLU -> stacked LSTM (dropout between layers) -> linear.
/// Free running, the previous event is G's own last output; teacher forced, it is the real previous event.
/// The first "previous event" is uniform random noise.
/// </summary>
/// <remarks>
/// The input layer is kept as two linear maps, one of the noise and one of the previous event (their sum equals
/// the linear map of the concatenation), so the noise part of all steps is one matrix product. One fused
/// <see cref="LSTM"/> holds the weights of both modes: teacher forced it runs the whole sequence at once; free
/// running, its weights are stepped through by hand (see <see cref="Cell"/>).
/// </remarks>
public sealed class Generator : nn.Module
{
    private readonly Linear _noiseInput;
    private readonly Linear _previousInput;
    private readonly LSTM _lstm;
    private readonly Linear _output;

    public Generator(ModelConfig config) : base(nameof(Generator))
    {
        config.Validate();
        Config = config;
        _noiseInput = nn.Linear(config.NoiseSize, config.Hidden);
        _previousInput = nn.Linear(config.FeatureCount, config.Hidden, hasBias: false);
        _lstm = nn.LSTM(config.Hidden, config.Hidden, config.Layers, batchFirst: true, dropout: config.Layers > 1 ? config.Dropout : 0);
        _output = nn.Linear(config.Hidden, config.FeatureCount);
        RegisterComponents();
    }

    public ModelConfig Config { get; }

    /// <summary>Generates <paramref name="length"/> events per song: (batch, length, features), in the scaled space.</summary>
    public Tensor Sample(long batch, long length)
    {
        using var scope = NewDisposeScope();
        var (noiseInput, previous) = Noise(batch, length);
        var weights = LayerWeights();
        var states = new (Tensor H, Tensor C)[Config.Layers];
        for (int l = 0; l < states.Length; l++)
            states[l] = (zeros(batch, Config.Hidden, device: previous.device), zeros(batch, Config.Hidden, device: previous.device));

        var outputs = new Tensor[length];
        for (long t = 0; t < length; t++)
        {
            var x = nn.functional.relu(noiseInput[.., (int)t] + _previousInput.call(previous));
            for (int l = 0; l < states.Length; l++)
            {
                if (l > 0) x = nn.functional.dropout(x, Config.Dropout, training);
                states[l] = Cell(x, states[l], weights[l]);
                x = states[l].H;
            }
            previous = outputs[t] = _output.call(x);
        }
        return stack(outputs, dim: 1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// One step of one LSTM layer with the fused LSTM's own weights (gate order input, forget, cell, output).
    /// Stepping the fused module itself would give the same numbers, but its backward pass is several times slower
    /// when called once per step.
    /// </summary>
    private static (Tensor H, Tensor C) Cell(Tensor x, (Tensor H, Tensor C) state, LayerWeight w)
    {
        var gates = nn.functional.linear(x, w.InputWeight, w.InputBias) + nn.functional.linear(state.H, w.HiddenWeight, w.HiddenBias);
        var chunks = gates.chunk(4, 1);
        var c = chunks[1].sigmoid() * state.C + chunks[0].sigmoid() * chunks[2].tanh();
        return (chunks[3].sigmoid() * c.tanh(), c);
    }

    private sealed record LayerWeight(Tensor InputWeight, Tensor InputBias, Tensor HiddenWeight, Tensor HiddenBias);

    private LayerWeight[] LayerWeights()
    {
        var p = _lstm.named_parameters().ToDictionary(kv => kv.name, kv => (Tensor)kv.parameter);
        return Enumerable.Range(0, Config.Layers)
            .Select(l => new LayerWeight(p[$"weight_ih_l{l}"], p[$"bias_ih_l{l}"], p[$"weight_hh_l{l}"], p[$"bias_hh_l{l}"]))
            .ToArray();
    }

    /// <summary>Predicts each event from the real events before it: output[t] is G's guess of real[t]. (batch, length, features).</summary>
    public Tensor TeacherForced(Tensor real)
    {
        using var scope = NewDisposeScope();
        long batch = real.shape[0], length = real.shape[1];
        var (noiseInput, first) = Noise(batch, length);
        var previous = cat([first.unsqueeze(1), real[.., ..(int)(length - 1)]], dim: 1);
        var x = nn.functional.relu(noiseInput + _previousInput.call(previous));
        var (y, _, _) = _lstm.call(x, null);
        return _output.call(y).MoveToOuterDisposeScope();
    }

    /// <summary>The noise's share of the input layer for every step (batch, length, hidden), and the random first "previous event".</summary>
    private (Tensor NoiseInput, Tensor FirstPrevious) Noise(long batch, long length)
    {
        var device = _output.weight!.device;
        var noise = rand(new[] { batch, length, (long)Config.NoiseSize }, device: device);
        var first = rand(new[] { batch, (long)Config.FeatureCount }, device: device);
        return (_noiseInput.call(noise), first);
    }
}
