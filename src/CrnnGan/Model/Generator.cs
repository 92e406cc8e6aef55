using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CrnnGan.Model;

/// <summary>
/// G: at each step, concat(z_t, previous event) -> linear + ReLU -> stacked LSTM (dropout between layers) -> linear.
/// Free running, the previous event is G's own last output; teacher forced, it is the real previous event.
/// The first "previous event" is uniform random noise. With <see cref="ModelConfig.SongNoiseSize"/> above 0, z_t also
/// holds values drawn once per song (the same at every step), from which G can take what stays fixed through a song.
/// </summary>
/// <remarks>
/// The input layer is kept as two linear maps, one of the noise and one of the previous event (their sum equals
/// the linear map of the concatenation), so the noise part of all steps is one matrix product. One fused
/// <see cref="LSTM"/> holds the weights of both modes: teacher forced it runs the whole sequence at once; free
/// running, its weights are stepped through by hand (see <see cref="LstmLayerWeights.Step"/>).
/// </remarks>
public sealed class Generator : nn.Module
{
    private readonly Linear _noiseInput;
    private readonly Linear _previousInput;
    private readonly LSTM _lstm;
    private readonly Linear _output;
    private readonly Linear? _songVelocity;
    private readonly Linear? _lookbackInput;
    private readonly PitchIntervalScores? _intervals;
    private readonly BarPositions? _positions;
    private readonly PitchClassMemory? _classMemory;
    private readonly FigureMemory? _figureMemory;

    /// <param name="scaling">The scaling of the events G writes: where G chooses values (<see cref="ChoiceHead"/>),
    /// its tables are in these units; null: <see cref="FeatureScaling.Default"/>.</param>
    public Generator(ModelConfig config, Data.FeatureScaling? scaling = null) : base(nameof(Generator))
    {
        config.Validate();
        Config = config;
        Scaling = scaling ?? Data.FeatureScaling.Default;
        Choices = ChoiceHead.For(config, Scaling);
        _noiseInput = nn.Linear(config.GeneratorInputNoiseSize, config.Hidden);
        _previousInput = nn.Linear(config.OutputCount, config.Hidden, hasBias: false);
        _lstm = nn.LSTM(config.Hidden, config.Hidden, config.Layers, batchFirst: true, dropout: config.Layers > 1 ? config.Dropout : 0);
        _output = nn.Linear(config.Hidden, config.OutputCount);
        if (config.PitchChoice) PitchOneHotOffset = Choices!.Columns.Single(c => c.Index == Data.EventLayout.FrequencyIndex(0)).Offset;
        if (config.PitchLookback > 0) _lookbackInput = nn.Linear(config.LookbackInputCount, config.Hidden, hasBias: false);
        if (config.PitchClassMemory) _classMemory = new PitchClassMemory(config.Hidden, PitchOneHotOffset);
        if (config.FigureMemory) _figureMemory = new FigureMemory(config.Hidden, PitchOneHotOffset);
        if (config.PitchIntervals > 0) _intervals = new PitchIntervalScores(config.Hidden, config.PitchIntervals, config.PitchIntervalLags, PitchOneHotOffset, config.ChordIntervals);
        if (config.TimeChoiceGrid > 0)
        {
            var time = Choices!.Columns.Single(c => c.Index == Data.EventLayout.TimeIndex(1));
            (TimeOneHotOffset, _timeEntries) = (time.Offset, time.Table.Length);
            if (config.BarPositions) _positions = new BarPositions(config.Hidden, config.TimeChoiceGrid, TimeOneHotOffset);
        }
        if (config.SongVelocity)
        {
            // Starts as the identity (level 0, spread 1), so G pretrains as it would without it.
            _songVelocity = nn.Linear(config.SongNoiseSize, 2);
            using var noGrad = no_grad();
            _songVelocity.weight!.zero_();
            _songVelocity.bias!.copy_(tensor(new[] { 0f, 1f }));
        }
        RegisterComponents();
        if (config.SongTraits) register_buffer(GeneratorSongTraits.Buffer, GeneratorSongTraits.EmptyTable(config));
    }

    public ModelConfig Config { get; }

    /// <summary>The scaling of the events G writes and reads.</summary>
    internal Data.FeatureScaling Scaling { get; }

    /// <summary>What G chooses from tables instead of saying as numbers (null: nothing, as in the paper).</summary>
    public ChoiceHead? Choices { get; }

    /// <summary>Where the one-hot of the chosen pitch lies in an emitted event, and its scores in G's raw output (with <see cref="ModelConfig.PitchChoice"/>).</summary>
    internal int PitchOneHotOffset { get; }

    /// <summary>Where the one-hot of the chosen time lies in an emitted event, and its scores in G's raw output (with <see cref="ModelConfig.TimeChoiceGrid"/>).</summary>
    internal int TimeOneHotOffset { get; }

    private readonly int _timeEntries;

    /// <summary>1 where an event's time since the previous onset is the table's first entry, 0: the tone joins the
    /// previous onset. <paramref name="timeScores"/> (…, time entries) are scores with their noise, or a one-hot.</summary>
    internal static Tensor SameOnset(Tensor timeScores) => timeScores.argmax(-1, keepdim: true).eq(0).to(ScalarType.Float32);

    /// <summary>The time scores (…, time entries) of G's raw output or of an event with its one-hots; of the choices'
    /// noise alone (which has no features before the scores) with <paramref name="before"/> the choice head's feature count.</summary>
    internal Tensor TimeScores(Tensor events, int before = 0) =>
        events[TensorIndex.Ellipsis, (TimeOneHotOffset - before)..(TimeOneHotOffset - before + _timeEntries)];

    /// <summary>Generates <paramref name="length"/> events per song: (batch, length, <see cref="ModelConfig.OutputCount"/>), in
    /// the scaled space (with a <see cref="PitchClassHead"/>, <see cref="PitchClassHead.Decode"/> makes events of them).
    /// With gradients enabled the result carries autograd's graph back into G. <paramref name="noiseScales"/> shrink
    /// (below 1) or widen each step's noise about its middle and each chosen feature's Gumbel noise (null: all 1); the
    /// noise drawn once per song is left as it is.</summary>
    /// <param name="labels">With <see cref="ModelConfig.LabelCount"/> above 0, each song's label (songs, labels) as
    /// <see cref="Conditioning.OneHot"/> makes it; null: the mean of all labels.</param>
    /// <param name="songTraits">With <see cref="ModelConfig.SongTraits"/>, each song's traits as <see cref="GeneratorSongTraits.SongTraitsOf"/>
    /// gives them (songs, <see cref="ModelConfig.SongTraitCount"/>); null: drawn from G's table.</param>
    public Tensor Sample(long batch, long length, NoiseScales? noiseScales = null, Tensor? labels = null, Tensor? songTraits = null)
    {
        using var scope = NewDisposeScope();
        var randoms = DrawRandoms(batch, length, noiseScales, labels: labels, songTraits: songTraits);
        return this.WriteVelocities(Run(randoms, tape: null), randoms.Noise).MoveToOuterDisposeScope();
    }

    /// <summary>The weights L2 applies to: all but the song velocities' level and spread, which are not a network's
    /// weights, and which L2 would pull towards 0, that is towards songs at one velocity.</summary>
    public IEnumerable<Parameter> RegularizedParameters =>
        named_parameters().Where(p => !p.name.StartsWith(nameof(_songVelocity) + ".")).Select(p => p.parameter);

    /// <summary>The linear map of the song noise to each song's velocity level and spread (with <see cref="ModelConfig.SongVelocity"/>).</summary>
    internal Linear? SongVelocityHead => _songVelocity;

    /// <summary>
    /// As <see cref="Sample"/>, without autograd's graph: what G's backward pass needs is kept in the returned tape,
    /// whose <see cref="GeneratorTape.Backward"/> computes G's gradients by hand. Call it inside a dispose scope, which
    /// owns the tape's tensors.
    /// </summary>
    /// <remarks>The tape computes each weight's gradient in one product over all steps, where autograd adds one per step:
    /// G's backward pass takes less than half the time.</remarks>
    public (Tensor Events, GeneratorTape Tape) SampleWithTape(long batch, long length) => SampleWithTape(DrawRandoms(batch, length));

    /// <summary>As <see cref="SampleWithTape(long, long)"/>, from random numbers drawn beforehand: the pass itself draws none.</summary>
    public (Tensor Events, GeneratorTape Tape) SampleWithTape(GeneratorRandoms randoms)
    {
        var tape = new GeneratorTape(this, Config.Layers);
        using (no_grad())
            return (Run(randoms, tape), tape);
    }

    /// <summary>Every random number a pass of G over (batch, length) uses: its noise, the first "previous event" and, in
    /// training mode, the dropout masks of all steps.</summary>
    public GeneratorRandoms DrawRandoms(long batch, long length, NoiseScales? noiseScales = null, Tensor? songNoise = null, Tensor? labels = null,
        Tensor? songTraits = null)
    {
        var scales = noiseScales ?? NoiseScales.One;
        var (noise, previous) = Noise(batch, length, scales.Step, songNoise, labels, songTraits);
        // Dropout masks for all steps drawn at once (scaled by 1/(1-p) as dropout does), so both modes draw the same.
        Tensor? masks = training && Config.Layers > 1 && Config.Dropout > 0
            ? bernoulli(full(new[] { length, Config.Layers - 1L, batch, Config.Hidden }, 1 - Config.Dropout, device: previous.device))
                .div_(1 - Config.Dropout)
            : null;
        // Gumbel noise for the choices of every step: -log(-log u); each chosen feature's at its own scale (0: the highest score).
        Tensor? choiceNoise = null;
        if (Choices is not null)
        {
            choiceNoise = rand(new[] { length, batch, (long)Config.ChoiceCount }, device: previous.device).clamp_(1e-7, 1 - 1e-7).log_().neg_().log_().neg_();
            Choices.ScaleNoise(choiceNoise, scales);
        }
        return new GeneratorRandoms(noise, previous, masks, choiceNoise, Choices is null || scales.TopP.IsOff ? null : scales);
    }

    /// <summary>
    /// Continues songs from real events: G reads <paramref name="prime"/> (batch, prime events, <see cref="ModelConfig.OutputCount"/>;
    /// scaled, with their pitch classes where G has a <see cref="PitchClassHead"/>) as its previous events, as
    /// <see cref="TeacherForced"/> feeds them, then runs free for <paramref name="length"/> steps from the state that
    /// leaves. Returns those steps' output alone (batch, length, <see cref="ModelConfig.OutputCount"/>), velocities written
    /// (<see cref="GeneratorSongVelocities.WriteVelocities"/>) from one song noise per song, drawn once for the prime and the continuation.
    /// </summary>
    /// <param name="songNoise">Each song's song noise (batch, <see cref="ModelConfig.SongNoiseSize"/>); null: drawn.</param>
    /// <param name="labels">Each song's label (see <see cref="Sample"/>).</param>
    public Tensor Continue(Tensor prime, long length, NoiseScales? noiseScales = null, Tensor? songNoise = null, Tensor? labels = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        if (prime.dim() != 3 || prime.shape[1] < 1 || prime.shape[2] != Config.OutputCount)
            throw new ArgumentException($"a prime is (songs, events, {Config.OutputCount}) for this G, got ({string.Join(", ", prime.shape)})", nameof(prime));
        using var scope = NewDisposeScope();
        long batch = prime.shape[0], primed = prime.shape[1];
        var randoms = DrawRandoms(batch, primed + length, noiseScales, songNoise, labels);
        var output = this.WriteVelocities(Run(randoms, tape: null, prime), randoms.Noise);
        return output[.., (int)primed..].MoveToOuterDisposeScope();
    }

    /// <summary>The free-running loop shared by both modes; the same seed gives the same events in both. With
    /// <paramref name="forced"/> (batch, n, outputs), step t reads forced[t - 1] as its previous event for t = 1..n.</summary>
    private Tensor Run(GeneratorRandoms randoms, GeneratorTape? tape, Tensor? forced = null)
    {
        var (noise, previous, masks, choiceNoise, nucleus) = randoms;
        long batch = noise.shape[0], length = noise.shape[1];
        var forcedSteps = forced?.unbind(1) ?? [];
        var noiseInput = _noiseInput.call(noise);
        if (tape is not null) tape.Begin(noise, previous, masks);

        var weights = LayerWeights().Select(w => w.ForSteps()).ToArray();
        var keyScores = Config.KeyPrior > 0 ? KeyPrior.Scores(noise, this.SongTraitsTable(), Config.KeyPrior) : null;
        var states = new (Tensor H, Tensor C)[Config.Layers];
        for (int l = 0; l < states.Length; l++)
            states[l] = (zeros(batch, Config.Hidden, device: previous.device), zeros(batch, Config.Hidden, device: previous.device));

        var outputs = new Tensor[length];
        var read = new Tensor[length]; // read[s]: event s as the steps after it read it (G's own, or forced)
        var history = new List<Tensor> { previous }; // the first "previous event", then read[0], read[1], ...
        Tensor? position = null; // with bar positions, that of the event the step reads (from step 1 on)
        var classCounts = _classMemory is null ? null : zeros(batch, 12, device: previous.device); // of the events read so far
        var readPitches = _figureMemory is null ? null : zeros(batch, length, dtype: ScalarType.Int64, device: previous.device);
        for (long t = 0; t < length; t++)
        {
            // Sampling (no tape): each step's temporaries go with its own scope, and the caller's keeps only the states
            // and the outputs, so sampling many songs needs memory for the songs, not for every product of every step.
            // With a tape most of a step is kept for the backward pass anyway.
            using var step = tape is null ? NewDisposeScope() : null;
            var before = step is null ? null : states.ToArray();
            var preActivation = noiseInput[.., (int)t] + _previousInput.call(previous);
            if (_lookbackInput is not null)
            {
                var lookedBack = PitchLookbackInputs.Step(read, (int)t, batch, previous.device, Config.PitchLookback, PitchOneHotOffset);
                tape?.LookedBack.Add(lookedBack);
                preActivation = preActivation + _lookbackInput.call(lookedBack);
            }
            if (_positions is not null && t > 0)
            {
                tape?.Positions.Add(position!);
                preActivation = preActivation + _positions.InputOf(position!);
            }
            var x = nn.functional.relu(preActivation);
            tape?.PreActivations.Add(preActivation);
            for (int l = 0; l < states.Length; l++)
            {
                if (l > 0 && masks is not null) x = x * masks[t, l - 1];
                states[l] = tape is null ? weights[l].Step(x, states[l]) : tape.Cell(l, x, states[l], weights[l]);
                x = states[l].H;
            }
            var raw = _output.call(x);
            if (keyScores is not null) raw = KeyPrior.AddTo(raw, keyScores, PitchOneHotOffset);
            if (_positions is not null && t > 0) raw = _positions.AddTo(raw, x, position!);
            if (_classMemory is not null)
            {
                tape?.ClassCounts.Add(classCounts!);
                raw = _classMemory.AddTo(raw, x, classCounts!);
            }
            var figures = _figureMemory is null ? null : FigureMemory.FeaturesAt(readPitches!, t);
            if (figures is not null) raw = _figureMemory!.AddTo(raw, x, figures);
            if (figures is not null) tape?.FigureFeatures.Add(figures);
            var gumbel = choiceNoise?[t];
            if (nucleus is not null) gumbel = Choices!.CutTails(raw, gumbel!.clone(), nucleus, f => f == ChosenFeature.Time);
            if (_intervals is not null)
            {
                // The time is drawn first (its scores do not change below), so the pitch can depend on it.
                var sameOnset = _intervals.Chords ? SameOnset(TimeScores(raw) + TimeScores(gumbel!, Choices!.FeatureCount)) : null;
                raw = _intervals.AddTo(raw, x, history, sameOnset);
            }
            if (Choices is not null)
            {
                if (nucleus is not null) Choices.CutTails(raw, gumbel!, nucleus, f => f != ChosenFeature.Time);
                var noisyScores = Choices.NoisyScores(raw, gumbel!);
                tape?.NoisyScores.Add(noisyScores);
                raw = Choices.Step(raw, noisyScores);
            }
            previous = outputs[t] = raw;
            tape?.Outputs.Add(previous);
            if (t < forcedSteps.Length) previous = forcedSteps[t];
            read[t] = previous;
            if (_intervals is not null) history.Add(previous);
            if (_positions is not null) position = _positions.Next(position, previous);
            if (_classMemory is not null) classCounts = classCounts! + _classMemory.ClassesOf(previous).detach();
            if (_figureMemory is not null) readPitches!.select(1, t).copy_(_figureMemory.PitchesOf(previous));
            if (step is null) continue;
            step.MoveToOuter(outputs[t]);
            if (position is not null) step.MoveToOuter(position);
            if (classCounts is not null) step.MoveToOuter(classCounts);
            foreach (var (h, c) in states) step.MoveToOuter(h, c);
            if (t > 0)
                foreach (var (h, c) in before!)
                {
                    h.Dispose();
                    c.Dispose();
                }
        }
        return stack(outputs, dim: 1);
    }

    internal (Linear NoiseInput, Linear PreviousInput, Linear Output) Linears => (_noiseInput, _previousInput, _output);

    internal Linear? LookbackInput => _lookbackInput;

    internal PitchIntervalScores? Intervals => _intervals;

    internal BarPositions? Positions => _positions;

    internal PitchClassMemory? ClassMemory => _classMemory;

    internal FigureMemory? FigureMemory => _figureMemory;

    internal LstmLayerWeights[] LayerWeights()
    {
        var p = _lstm.named_parameters().ToDictionary(kv => kv.name, kv => (Tensor)kv.parameter);
        return Enumerable.Range(0, Config.Layers)
            .Select(l => new LstmLayerWeights(p[$"weight_ih_l{l}"], p[$"bias_ih_l{l}"], p[$"weight_hh_l{l}"], p[$"bias_hh_l{l}"]))
            .ToArray();
    }

    /// <summary>Predicts each event from the real events before it: output[t] is G's guess of real[t]. (batch, length,
    /// <see cref="ModelConfig.OutputCount"/>); with a <see cref="PitchClassHead"/> the real events come with their pitch classes.</summary>
    /// <param name="songNoise">Each song's song noise (batch, <see cref="ModelConfig.SongNoiseSize"/>); null: drawn.</param>
    /// <param name="labels">Each song's label (see <see cref="Sample"/>).</param>
    public Tensor TeacherForced(Tensor real, Tensor? songNoise = null, Tensor? labels = null)
    {
        using var scope = NewDisposeScope();
        long batch = real.shape[0], length = real.shape[1];
        using var traits = Config.SongTraits ? this.SongTraitsOf(real) : null;
        var (noise, first) = Noise(batch, length, songNoise: songNoise, labels: labels, traits: traits);
        var previous = cat([first.unsqueeze(1), real[.., ..(int)(length - 1)]], dim: 1);
        var preActivation = _noiseInput.call(noise) + _previousInput.call(previous);
        if (_lookbackInput is not null) preActivation = preActivation + _lookbackInput.call(PitchLookbackInputs.All(real, Config.PitchLookback, PitchOneHotOffset));
        Tensor? positions = null, valid = null;
        if (_positions is not null)
        {
            (positions, valid) = (_positions.PreviousPositions(real), BarPositions.Valid(length, real.device));
            preActivation = preActivation + _positions.InputOf(positions, valid);
        }
        var x = nn.functional.relu(preActivation);
        var y = FusedLstm.Handles(x)
            ? FusedLstm.Run(x, _lstm.parameters().ToArray<Tensor>(), 1,
                FusedLstm.DropoutMasks(Config.Layers, batch, length, Config.Hidden, Config.Dropout, training, x.device))
            : _lstm.call(x, null).Item1;
        var raw = _output.call(y);
        if (Config.KeyPrior > 0) raw = KeyPrior.AddTo(raw, KeyPrior.Scores(noise, this.SongTraitsTable(), Config.KeyPrior), PitchOneHotOffset);
        if (_positions is not null) raw = _positions.AddTo(raw, y, positions!, valid);
        if (_classMemory is not null) raw = _classMemory.AddTo(raw, y, _classMemory.CountsBefore(real));
        if (_figureMemory is not null) raw = _figureMemory.AddTo(raw, y, _figureMemory.FeaturesBefore(real));
        if (_intervals is not null) raw = _intervals.AddTo(raw, y, previous, _intervals.Chords ? SameOnset(TimeScores(real)) : null);
        return this.WriteVelocities(raw, noise).MoveToOuterDisposeScope();
    }

    /// <summary>Uniform noise for every step and the random first "previous event" (see <see cref="GeneratorNoise.Draw"/>).
    /// With <see cref="ModelConfig.SongTraits"/>, each song's <paramref name="traits"/> follow, as <see cref="GeneratorSongTraits.SongTraitsOf"/> gives
    /// them; null: drawn from G's table (after every other draw).</summary>
    internal (Tensor Noise, Tensor FirstPrevious) Noise(long batch, long length, double stepNoiseScale = 1, Tensor? songNoise = null,
        Tensor? labels = null, Tensor? traits = null)
    {
        var (noise, first) = GeneratorNoise.Draw(Config, _output.weight!.device, batch, length, stepNoiseScale, songNoise, labels);
        return Config.SongTraits ? (GeneratorNoise.WithSongTraits(noise, traits, this.DrawSongTraits, Config.SongTraitCount), first) : (noise, first);
    }
}
