#!/usr/bin/python3
"""C-RNN-GAN (Mogren 2016) training step in PyTorch: the peer of `CrnnGan.Bench train-step`.

Same model, losses and step order as src/CrnnGan (Generator.cs, Discriminator.cs, GanLosses.cs,
GanTrainer.AdversarialStep/PretrainStep) at the paper's configuration: batch 20, length 100, hidden 350,
2 layers, bidirectional D, feature matching, SGD, L2 0.1, gradient norm clipped at 5, freezing off.
Prints the median ms per step, events/s (batch x length / s), sampling time and peak RSS.
"""
import argparse
import json
import os
import resource
import statistics
import time

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--threads", type=int, default=1, help="torch.set_num_threads (default 1)")
parser.add_argument("--blas-threads", type=int, help="OPENBLAS_NUM_THREADS (default: as in the environment)")
parser.add_argument("--blas-core", help="OPENBLAS_CORETYPE, e.g. SkylakeX: OpenBLAS falls back to its slowest kernel "
                    "(Prescott) on CPUs it does not recognise, as in many VMs (default: as in the environment)")
parser.add_argument("--adversarial-only", action="store_true", help="time only the adversarial iteration")
parser.add_argument("--iterations", type=int, default=5, help="timed steps of each kind, after one warm-up (default 5)")
parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
args = parser.parse_args()
if args.blas_threads is not None:
    os.environ["OPENBLAS_NUM_THREADS"] = str(args.blas_threads)  # both are read when torch loads OpenBLAS
if args.blas_core is not None:
    os.environ["OPENBLAS_CORETYPE"] = args.blas_core

import torch  # noqa: E402
from torch import nn  # noqa: E402

BATCH, LENGTH, HIDDEN, LAYERS, FEATURES = 20, 100, 350, 2, 4  # features: length, frequency, intensity, time
L2_SCALE, CLIP_NORM, G_RATE, D_RATE, EPSILON = 0.1, 5.0, 0.1, 0.05, 1e-7


class Generator(nn.Module):
    """Per step relu(W_z z_t + W_p previous) -> 2-layer LSTM -> linear; the first previous event is uniform noise."""

    def __init__(self):
        super().__init__()
        self.noise_input = nn.Linear(FEATURES, HIDDEN)
        self.previous_input = nn.Linear(FEATURES, HIDDEN, bias=False)
        self.lstm = nn.LSTM(HIDDEN, HIDDEN, LAYERS, batch_first=True, dropout=0.5)
        self.output = nn.Linear(HIDDEN, FEATURES)

    def noise(self, batch, length):
        return self.noise_input(torch.rand(batch, length, FEATURES)), torch.rand(batch, FEATURES)

    def sample(self, batch, length):
        """Free running: each step's output is the next step's previous event."""
        noise, previous = self.noise(batch, length)
        state, outputs = None, []
        for t in range(length):
            x = torch.relu(noise[:, t] + self.previous_input(previous)).unsqueeze(1)
            y, state = self.lstm(x, state)
            previous = self.output(y.squeeze(1))
            outputs.append(previous)
        return torch.stack(outputs, 1)

    def teacher_forced(self, real):
        """output[:, t] is the guess of real[:, t] from the real events before it."""
        noise, first = self.noise(real.shape[0], real.shape[1])
        previous = torch.cat([first.unsqueeze(1), real[:, :-1]], 1)
        y, _ = self.lstm(torch.relu(noise + self.previous_input(previous)))
        return self.output(y)


class Discriminator(nn.Module):
    """Input dropout -> bidirectional 2-layer LSTM -> shared linear + sigmoid per step, averaged over steps."""

    def __init__(self):
        super().__init__()
        self.input_dropout = nn.Dropout(0.5)
        self.lstm = nn.LSTM(FEATURES, HIDDEN, LAYERS, batch_first=True, bidirectional=True, dropout=0.5)
        self.classifier = nn.Linear(2 * HIDDEN, 1)

    def forward(self, events):
        features, _ = self.lstm(self.input_dropout(events))
        return torch.sigmoid(self.classifier(features)).squeeze(-1).mean(1), features


def safe_log(p):
    return p.clamp(EPSILON, 1.0).log()


def update(optimizer, module, loss):
    """loss + L2 (scale x sum(w^2)/2, TensorFlow's l2_loss), clipped backward, SGD step."""
    optimizer.zero_grad()
    l2 = sum(p.square().sum() for p in module.parameters()) * (L2_SCALE / 2)
    (loss + l2).backward()
    nn.utils.clip_grad_norm_(module.parameters(), CLIP_NORM)
    optimizer.step()


def adversarial_step(g, d, g_optimizer, d_optimizer, real):
    """As GanTrainer.AdversarialStep with freezing off: one forward pass, then the G update, then the D update."""
    g.train()
    d.train()
    batch = real.shape[0]
    fake = g.sample(batch, real.shape[1])
    both_decision, both_features = d(torch.cat([real, fake.detach()]))  # D's own update: real and generated as 2B
    fake_decision, fake_features = d(fake)  # G's update: the graph into G
    d_loss = (-safe_log(both_decision[:batch]) - safe_log(1 - both_decision[batch:])).mean()
    g_adversarial = (-safe_log(fake_decision)).mean()
    feature_matching = (both_features[:batch].detach() - fake_features).square().sum((1, 2)).mean()
    for loss in (d_loss, g_adversarial, feature_matching):  # the finiteness checks read every loss
        loss.item()
    update(g_optimizer, g, feature_matching)
    update(d_optimizer, d, d_loss)


def pretrain_step(g, g_optimizer, real):
    g.train()
    mse = nn.functional.mse_loss(g.teacher_forced(real), real)
    mse.item()
    update(g_optimizer, g, mse)


def sample_songs(g, count=100, length=100):
    g.eval()
    with torch.inference_mode():
        return g.sample(count, length).numpy()


def median_seconds(step, iterations, warm_up=True):
    if warm_up:
        step()  # first-call allocations and kernel selection
    times = []
    for _ in range(iterations):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    g, d = Generator(), Discriminator()
    g_optimizer = torch.optim.SGD(g.parameters(), lr=G_RATE)
    d_optimizer = torch.optim.SGD(d.parameters(), lr=D_RATE)
    real = torch.randn(BATCH, LENGTH, FEATURES)

    adversarial = median_seconds(lambda: adversarial_step(g, d, g_optimizer, d_optimizer, real), args.iterations)
    pretrain = sampling = float("nan")
    if not args.adversarial_only:
        pretrain = median_seconds(lambda: pretrain_step(g, g_optimizer, real), args.iterations)
        sampling = median_seconds(lambda: sample_songs(g), 3, warm_up=False)  # as the C# bench: median of 3
    result = {
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "blas_threads": os.environ.get("OPENBLAS_NUM_THREADS", "default"),
        "blas_core": os.environ.get("OPENBLAS_CORETYPE", "detected"),
        "adversarial_ms": round(adversarial * 1000, 1),
        "adversarial_events_per_s": round(BATCH * LENGTH / adversarial, 1),
        "pretrain_ms": round(pretrain * 1000, 1),
        "pretrain_events_per_s": round(BATCH * LENGTH / pretrain, 1),
        "sampling_s": round(sampling, 3),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    if args.json:
        print(json.dumps(result))
        return
    print(f"PyTorch {result['torch']}, torch threads {result['threads']}, OpenBLAS threads {result['blas_threads']}, "
          f"OpenBLAS kernel {result['blas_core']}; "
          f"batch {BATCH}, length {LENGTH}, hidden {HIDDEN}, bidirectional D, feature matching")
    print(f"adversarial iteration: median {result['adversarial_ms']:.0f} ms over {args.iterations}; "
          f"{result['adversarial_events_per_s']:.0f} events/s")
    if not args.adversarial_only:
        print(f"pretraining step: median {result['pretrain_ms']:.0f} ms over {args.iterations}; "
              f"{result['pretrain_events_per_s']:.0f} events/s")
        print(f"sampling 100 songs x 100 events: median {sampling:.3f} s of 3")
    print(f"peak RSS: {result['peak_rss_mib']} MiB")


if __name__ == "__main__":
    main()
