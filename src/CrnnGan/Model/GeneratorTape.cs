using TorchSharp;
using static TorchSharp.torch;

namespace CrnnGan.Model;

/// <summary>
/// What a free-running pass of G keeps for its backward pass (see <see cref="Generator.SampleWithTape"/>), and that
/// backward pass written out: backpropagation through time for the input layer, the stacked LSTM and the output
/// layer, with the feedback of each output into the next step's input. Step by step it carries only the gradients of
/// the states; the weights' gradients are then one matrix product each over all steps and songs.
/// </summary>
public sealed class GeneratorTape
{
    private readonly Generator _generator;
    private readonly List<Tensor>[] _inputs, _activations, _cells, _hiddens;
    private Tensor? _noise, _first, _masks;

    internal GeneratorTape(Generator generator, int layers)
    {
        _generator = generator;
        _inputs = NewLists(layers);
        _activations = NewLists(layers);
        _cells = NewLists(layers);
        _hiddens = NewLists(layers);
    }

    internal List<Tensor> PreActivations { get; } = [];
    internal List<Tensor> Outputs { get; } = [];

    /// <summary>Each step's choice scores plus their noise, where G chooses values (see <see cref="ChoiceHead"/>).</summary>
    internal List<Tensor> NoisyScores { get; } = [];

    /// <summary>Each step's looked-back pitches, where G reads them (see <see cref="ModelConfig.PitchLookback"/>).</summary>
    internal List<Tensor> LookedBack { get; } = [];

    /// <summary>From step 1 on, the position in the bar of the event each step read (see <see cref="BarPositions"/>).</summary>
    internal List<Tensor> Positions { get; } = [];

    /// <summary>Each step's counts of the pitch classes read before it (see <see cref="PitchClassMemory"/>).</summary>
    internal List<Tensor> ClassCounts { get; } = [];

    /// <summary>Each step's features of what came after its last pitches before (see <see cref="Model.FigureMemory"/>).</summary>
    internal List<Tensor> FigureFeatures { get; } = [];

    internal void Begin(Tensor noise, Tensor first, Tensor? masks) => (_noise, _first, _masks) = (noise, first, masks);

    /// <summary>The same LSTM step as <see cref="Generator"/>'s, keeping its input, gate activations and states.</summary>
    internal (Tensor H, Tensor C) Cell(int layer, Tensor x, (Tensor H, Tensor C) state, LstmLayerWeights w)
    {
        var (h, c) = w.Step(x, state, out var activations);
        _inputs[layer].Add(x);
        _activations[layer].Add(activations);
        _cells[layer].Add(c);
        _hiddens[layer].Add(h);
        return (h, c);
    }

    /// <summary>
    /// Adds to the gradients of G's parameters those of a loss whose gradient with respect to the sampled events
    /// (batch, length, features) is <paramref name="eventsGradient"/>.
    /// </summary>
    public void Backward(Tensor eventsGradient)
    {
        if (_noise is null || _first is null) throw new InvalidOperationException("the tape holds no pass of G");
        using var noGrad = no_grad();
        int layers = _inputs.Length;
        long steps = Outputs.Count, batch = _first.shape[0];
        long hidden = _hiddens[0][0].shape[1];
        var weights = _generator.LayerWeights();
        var (noiseInput, previousInput, output) = _generator.Linears;
        var lookbackInput = _generator.LookbackInput;
        int lookback = lookbackInput is null ? 0 : _generator.Config.PitchLookback;
        const int pitches = Data.Tuning.MaxPitch + 1;
        int pitchAt = _generator.PitchOneHotOffset;
        var intervals = _generator.Intervals;
        var previousEvents = cat([_first.unsqueeze(0), stack(Outputs)[..(int)(steps - 1)]]);
        Tensor[] readEvents = [_first, .. Outputs];
        var intervalGradients = new Tensor[intervals is null ? 0 : steps];
        var positions = _generator.Positions;
        var positionGradients = new Tensor[positions is null ? 0 : steps];
        var classMemory = _generator.ClassMemory;
        var classGradients = new Tensor[classMemory is null ? 0 : steps];
        var figureMemory = _generator.FigureMemory;
        var figureGradients = new Tensor[figureMemory is null ? 0 : steps];

        // Per layer, (steps, batch, ...) at once: what each step's gate gradients are multiplied by.
        var gateFactors = new Tensor[layers];
        var hiddenToCell = new Tensor[layers];
        var forgets = new Tensor[layers];
        var hiddens = new Tensor[layers];
        var previousHiddens = new Tensor[layers];
        var inputs = new Tensor[layers];
        for (int l = 0; l < layers; l++)
        {
            var activations = stack(_activations[l]);
            var cells = stack(_cells[l]);
            var previousCells = cat([zeros(1, batch, hidden, device: cells.device), cells[..(int)(steps - 1)]]);
            var tanhCells = cells.tanh();
            var (i, f, g, o) = Gates(activations, 2, hidden);
            // d gates = [dc, dc, dc, dh] * factors, with the activations' derivatives folded in.
            gateFactors[l] = cat([g * i * (1 - i), previousCells * f * (1 - f), i * (1 - g * g), tanhCells * o * (1 - o)], dim: 2);
            hiddenToCell[l] = o * (1 - tanhCells * tanhCells);
            forgets[l] = f;
            hiddens[l] = stack(_hiddens[l]);
            previousHiddens[l] = cat([zeros(1, batch, hidden, device: cells.device), hiddens[l][..(int)(steps - 1)]]);
            inputs[l] = stack(_inputs[l]);
        }
        var reluOpen = stack(PreActivations).gt(0).to(ScalarType.Float32);
        var outputGradients = eventsGradient.transpose(0, 1);

        // [W_ih | W_hh]: one product per layer and step gives the gradients of the input and of the previous state.
        var stackedWeights = weights.Select(w => cat([w.InputWeight, w.HiddenWeight], dim: 1)).ToArray();
        var gateGradients = Enumerable.Range(0, layers).Select(_ => new Tensor[steps]).ToArray();
        var preActivationGradients = new Tensor[steps];
        var outputStepGradients = new Tensor[steps];
        var hiddenCarry = new Tensor?[layers];
        var cellCarry = new Tensor?[layers];
        Tensor? nextPreActivationGradient = null;
        for (long t = steps - 1; t >= 0; t--)
        {
            var dy = nextPreActivationGradient is null
                ? outputGradients[t]
                : outputGradients[t] + nextPreActivationGradient.mm(previousInput.weight!);
            // Event t is looked back at by steps t + 2 ... t + 1 + lookback, through its pitch's one-hot.
            for (int k = 2; k < 2 + lookback && t + k < steps; k++)
            {
                if (ReferenceEquals(dy, outputGradients[t])) dy = dy.clone();
                dy[.., pitchAt..(pitchAt + pitches)] += preActivationGradients[t + k].mm(lookbackInput!.weight![.., ((k - 2) * pitches)..((k - 1) * pitches)]);
            }
            if (_generator.Choices is { } choices) dy = choices.Backward(dy, NoisyScores[(int)t]);
            outputStepGradients[t] = dy;
            var dh = dy.mm(output.weight!);
            if (intervals is not null)
            {
                intervalGradients[t] = intervals.Backward(dy[.., pitchAt..(pitchAt + pitches)], new ArraySegment<Tensor>(readEvents, 0, (int)t + 1),
                    intervals.Chords ? Generator.SameOnset(_generator.TimeScores(Outputs[(int)t])) : null);
                dh = dh.add_(intervalGradients[t].mm(intervals.Scores.weight!));
            }
            if (positions is not null)
            {
                positionGradients[t] = t == 0 ? zeros(batch, positions.Bins, device: dy.device)
                    : positions.Backward(_generator.TimeScores(dy), Positions[(int)t - 1]);
                dh = dh.add_(positionGradients[t].mm(positions.Scores.weight!));
            }
            if (classMemory is not null)
            {
                classGradients[t] = PitchClassMemory.Backward(dy[.., pitchAt..(pitchAt + pitches)], ClassCounts[(int)t]);
                dh = dh.add_(classGradients[t].mm(classMemory.Weights.weight!));
            }
            if (figureMemory is not null)
            {
                figureGradients[t] = FigureMemory.Backward(dy[.., pitchAt..(pitchAt + pitches)], FigureFeatures[(int)t]);
                dh = dh.add_(figureGradients[t].mm(figureMemory.Weights.weight!));
            }
            for (int l = layers - 1; l >= 0; l--)
            {
                if (hiddenCarry[l] is { } carriedH) dh = dh + carriedH;
                var dc = dh * hiddenToCell[l][t];
                if (cellCarry[l] is { } carriedC) dc = dc.add_(carriedC);
                var dGates = cat([dc, dc, dc, dh], dim: 1).mul_(gateFactors[l][t]);
                gateGradients[l][t] = dGates;
                var dInputAndHidden = dGates.mm(stackedWeights[l]);
                long inputSize = weights[l].InputWeight.shape[1];
                hiddenCarry[l] = dInputAndHidden.narrow(1, inputSize, hidden);
                cellCarry[l] = dc * forgets[l][t];
                var dInput = dInputAndHidden.narrow(1, 0, inputSize);
                if (l > 0) dh = _masks is null ? dInput : dInput.mul_(_masks[t, l - 1]);
                else nextPreActivationGradient = preActivationGradients[t] = dInput.mul_(reluOpen[t]);
            }
        }

        for (int l = 0; l < layers; l++)
        {
            var dGates = stack(gateGradients[l]).flatten(0, 1);
            Accumulate(weights[l].InputWeight, dGates.t().mm(inputs[l].flatten(0, 1)));
            Accumulate(weights[l].HiddenWeight, dGates.t().mm(previousHiddens[l].flatten(0, 1)));
            var biasGradient = dGates.sum(0L);
            Accumulate(weights[l].InputBias, biasGradient);
            Accumulate(weights[l].HiddenBias, biasGradient);
        }
        var dOutputs = stack(outputStepGradients).flatten(0, 1);
        Accumulate(output.weight!, dOutputs.t().mm(hiddens[layers - 1].flatten(0, 1)));
        Accumulate(output.bias!, dOutputs.sum(0L));
        if (intervals is not null)
        {
            var dIntervals = stack(intervalGradients).flatten(0, 1);
            Accumulate(intervals.Scores.weight!, dIntervals.t().mm(hiddens[layers - 1].flatten(0, 1)));
            Accumulate(intervals.Scores.bias!, dIntervals.sum(0L));
        }
        if (positions is not null)
        {
            var dPositions = stack(positionGradients).flatten(0, 1);
            Accumulate(positions.Scores.weight!, dPositions.t().mm(hiddens[layers - 1].flatten(0, 1)));
            Accumulate(positions.Scores.bias!, dPositions.sum(0L));
        }
        if (classMemory is not null)
        {
            var dClasses = stack(classGradients).flatten(0, 1);
            Accumulate(classMemory.Weights.weight!, dClasses.t().mm(hiddens[layers - 1].flatten(0, 1)));
            Accumulate(classMemory.Weights.bias!, dClasses.sum(0L));
        }
        if (figureMemory is not null)
        {
            var dFigures = stack(figureGradients).flatten(0, 1);
            Accumulate(figureMemory.Weights.weight!, dFigures.t().mm(hiddens[layers - 1].flatten(0, 1)));
            Accumulate(figureMemory.Weights.bias!, dFigures.sum(0L));
        }
        var dPre = stack(preActivationGradients).flatten(0, 1);
        Accumulate(previousInput.weight!, dPre.t().mm(previousEvents.flatten(0, 1)));
        if (lookbackInput is not null) Accumulate(lookbackInput.weight!, dPre.t().mm(stack(LookedBack).flatten(0, 1)));
        if (positions is not null && steps > 1)
            Accumulate(positions.Input.weight!, stack(preActivationGradients[1..]).flatten(0, 1).t().mm(stack(Positions.Select(p => positions.OneHot(p))).flatten(0, 1)));
        Accumulate(noiseInput.weight!, dPre.t().mm(_noise.transpose(0, 1).flatten(0, 1)));
        Accumulate(noiseInput.bias!, dPre.sum(0L));
        Flush();
    }

    private static (Tensor I, Tensor F, Tensor G, Tensor O) Gates(Tensor activations, int dim, long hidden) =>
        (activations.narrow(dim, 0, hidden), activations.narrow(dim, hidden, hidden),
         activations.narrow(dim, 2 * hidden, hidden), activations.narrow(dim, 3 * hidden, hidden));

    private readonly List<Tensor> _parameters = [];
    private readonly List<Tensor> _gradients = [];

    private void Accumulate(Tensor parameter, Tensor gradient)
    {
        _parameters.Add(parameter);
        _gradients.Add(gradient);
    }

    /// <summary>Autograd's own accumulation into the parameters' .grad (as if a graph had ended at them).</summary>
    private void Flush()
    {
        torch.autograd.backward(_parameters, _gradients);
        _parameters.Clear();
        _gradients.Clear();
    }

    private static List<Tensor>[] NewLists(int count) => Enumerable.Range(0, count).Select(_ => new List<Tensor>()).ToArray();
}
