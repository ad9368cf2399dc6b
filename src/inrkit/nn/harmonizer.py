"""INCODE's harmoniser parts: task-specific priors and the coefficient MLP (methods.md §9.8).

Priors (what the official code, xmindflow/INCODE ``modules/incode.py``, feeds the ground truth through):

* ``resnet34_front``: the first five children of torchvision's ResNet-34 (7x7/2 conv, BN, ReLU, 3x3/2
  max-pool, ``layer1`` = three 64-channel basic blocks), **randomly initialised and trained with the
  field**, as in the official code, which builds ``resnet34()`` without pretrained weights. Written here
  (no torchvision dependency) with torchvision's init (Kaiming-normal fan-out convs, BN weight 1, bias 0).
  BatchNorm always normalises with the statistics of the one input image (``track_running_stats=False``):
  what the official code computes, as it never leaves training mode, and no state changes in ``forward``.
* ``mfcc``: torchaudio's ``MFCC`` as the audio code configures it (n_fft 400, hop 160, 50 mel bands,
  ``center=False``, power spectrum, HTK mel scale without filter normalisation, dB with top_db 80,
  orthonormal DCT-II), written in plain torch; it has no parameters.

``coefficient_mlp`` is the official ``MLP``: Linear+SiLU layers to ``widths[-1]`` outputs, weights
trunc-normal(std 1e-3), biases ``bias``.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor, nn


class BasicBlock(nn.Module):
    """ResNet basic block without downsampling: relu(x + bn(conv(relu(bn(conv(x))))))."""

    def __init__(self, ch: int):
        super().__init__()
        self.conv1 = nn.Conv2d(ch, ch, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(ch, track_running_stats=False)
        self.conv2 = nn.Conv2d(ch, ch, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(ch, track_running_stats=False)

    def forward(self, x: Tensor) -> Tensor:
        h = torch.relu(self.bn1(self.conv1(x)))
        return torch.relu(x + self.bn2(self.conv2(h)))


def resnet34_front(in_channels: int = 3, blocks: int = 3) -> nn.Sequential:
    """ResNet-34 truncated after ``layer1`` (64 output channels), random torchvision-style init."""
    net = nn.Sequential(nn.Conv2d(in_channels, 64, 7, stride=2, padding=3, bias=False),
                        nn.BatchNorm2d(64, track_running_stats=False), nn.ReLU(),
                        nn.MaxPool2d(3, stride=2, padding=1), *[BasicBlock(64) for _ in range(blocks)])
    for m in net.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
        elif isinstance(m, nn.BatchNorm2d):
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)
    return net


def coefficient_mlp(widths: tuple[int, ...], bias: float) -> nn.Sequential:
    """Linear(widths[0] -> widths[1]) SiLU ... Linear(-> widths[-1]); trunc-normal(1e-3) weights, constant biases."""
    layers: list[nn.Module] = []
    for i, (n_in, n_out) in enumerate(zip(widths[:-1], widths[1:], strict=True)):
        lin = nn.Linear(n_in, n_out)
        nn.init.trunc_normal_(lin.weight, std=1e-3)
        nn.init.constant_(lin.bias, bias)
        layers.append(lin)
        if i < len(widths) - 2:
            layers.append(nn.SiLU())
    return nn.Sequential(*layers)


def mel_filterbank(n_freqs: int, n_mels: int, sample_rate: float) -> Tensor:
    """HTK-mel triangular filters ``[n_freqs, n_mels]`` from 0 Hz to sample_rate // 2, unnormalised."""
    def mel(f):
        return 2595.0 * torch.log10(1.0 + f / 700.0)

    freqs = torch.linspace(0, sample_rate // 2, n_freqs, dtype=torch.float64)
    m = torch.linspace(0.0, float(mel(torch.tensor(float(sample_rate // 2), dtype=torch.float64))), n_mels + 2,
                       dtype=torch.float64)
    f_pts = 700.0 * (10.0 ** (m / 2595.0) - 1.0)
    diff = f_pts[1:] - f_pts[:-1]
    slopes = f_pts[None, :] - freqs[:, None]  # [n_freqs, n_mels + 2]
    down, up = -slopes[:, :-2] / diff[:-1], slopes[:, 2:] / diff[1:]
    return torch.clamp(torch.minimum(down, up), min=0.0)


def dct_matrix(n_mfcc: int, n_mels: int) -> Tensor:
    """Orthonormal DCT-II ``[n_mels, n_mfcc]``."""
    n = torch.arange(n_mels, dtype=torch.float64)
    k = torch.arange(n_mfcc, dtype=torch.float64)[:, None]
    dct = torch.cos(math.pi / n_mels * (n + 0.5) * k)
    dct[0] *= 1.0 / math.sqrt(2.0)
    return (dct * math.sqrt(2.0 / n_mels)).T


def mfcc(wave: Tensor, sample_rate: float, n_mfcc: int = 50, n_mels: int = 50, n_fft: int = 400,
         hop: int = 160, top_db: float = 80.0) -> Tensor:
    """MFCCs ``[n_mfcc, frames]`` of a mono waveform ``[N]`` (module docstring; float64 inside)."""
    wave = wave.to(torch.float64)
    if wave.shape[0] < n_fft:
        wave = nn.functional.pad(wave, (0, n_fft - wave.shape[0]))
    spec = torch.stft(wave, n_fft, hop_length=hop, win_length=n_fft, center=False, return_complex=True,
                      window=torch.hann_window(n_fft, dtype=torch.float64)).abs().square()  # [n_fft/2+1, T]
    mels = mel_filterbank(n_fft // 2 + 1, n_mels, sample_rate).T @ spec  # [n_mels, T]
    db = 10.0 * torch.log10(torch.clamp(mels, min=1e-10))
    db = torch.maximum(db, db.max() - top_db)
    return dct_matrix(n_mfcc, n_mels).T @ db
