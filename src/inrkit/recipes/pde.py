"""PDE protocol ``pde`` (recipes ``<model>-pde``): MSA-PINN, the tanh PINN, FF-PINN and SIREN on ``pde:<problem>``.

Paper scale (protocols.md §10.4 [default]; the MSA paper's PDE settings are not recoverable, §10.1):
10,000 fixed interior collocation points, 1,000 per boundary face and 1,000 initial points, loss
weights 1, Adam lr 1e-3 with cosine decay to 1e-6 over 20,000 full-batch steps, relative L2 on a
256 x 256 grid. Models, all 4 blocks x 128 (``hidden_layers=3``):

* ``msa-pde``: MSA, s_min 0 and s_max 2 in every block (``MSA_PRESETS["pde"]``), float32 [default;
  ``--set field.dtype=float64`` for s_max >= 4 runs]. The per-layer Mean-Log gradient (MSA Table 4)
  is recorded every step (``trainer.grad_stats_every=1``); ``--set field.amplitude_modulation=false``
  is MSA-NoAM.
* ``pinn-pde``: tanh MLP, Xavier-normal weights, zero biases (the MSA paper's "PINN").
* ``ff_pinn-pde``: Gaussian Fourier features (m = 64, sigma 1 [default]) + the tanh MLP.
* ``siren-pde``: SIREN omega_0 30 (methods.md §9 PDE column; not part of MSA's table).

Quick scale [default], minutes on one CPU core: 2,000 interior points and 200 per face **redrawn
every step**, Adam lr 3e-3 cosine to 1e-6, 2,000 steps, evaluation every 500 steps on a 128 x 128 grid.
Both changes were measured on ``pde:poisson_msa`` with MSA: a fixed set of 2,000 points is
over-fitted (residual MSE 3e-6 yet relative L2 0.17 at lr 3e-3); resampling gives 2.6e-2 at lr 1e-3
and 7.4e-3 at lr 3e-3. Default signal ``pde:poisson_msa``.
"""

from __future__ import annotations

from inrkit.fields.msa import MSA_PRESETS
from inrkit.recipes.protocol import Protocol, Setting, add_settings, register_protocol
from inrkit.tasks.pde import PDEConfig
from inrkit.train.schedules import ScheduleConfig
from inrkit.train.trainer import OptimConfig, TrainerConfig

register_protocol(Protocol(
    name="pde", family="pde", task=PDEConfig(),
    trainer=TrainerConfig(steps=20_000, optim=OptimConfig(lr=1e-3), schedule=ScheduleConfig("cosine", lr_min=1e-6),
                          eval_every=1000, checkpoint_every=2000, grad_stats_every=1),
    description="PINN (Adam 1e-3 cosine to 1e-6, 20k full-batch steps)",
    reference="protocols.md §10.2-10.4 (inrkit PINN benchmark set; MSA PDE settings not recoverable)",
    scales={"quick": {"task.n_interior": 2000, "task.n_boundary": 200, "task.n_initial": 200, "task.resample": True,
                      "task.eval_points": 128, "trainer.optim.lr": 3e-3, "trainer.steps": 2000,
                      "trainer.eval_every": 500, "trainer.checkpoint_every": 1000}},
    sizes={"paper": {"field.hidden_layers": 3, "field.hidden_features": 128}}, dims=(2, 1),
    default_signal="pde:poisson_msa", tags=("inrkit-default",),
))

add_settings("msa", {"pde": Setting("MSA-PINN 4x128, s 0 -> 2 per block", field=MSA_PRESETS["pde"])})
add_settings("pinn", {"pde": Setting("tanh PINN 4x128, Xavier-normal, zero biases")})
add_settings("ff_pinn", {"pde": Setting("Fourier-feature PINN, m 64, sigma 1, tanh 4x128")})
add_settings("siren", {"pde": Setting("SIREN 4x128, omega_0 30")})
