"""Self-checks for the notebooks' exercises, one module per notebook; every check is
``mm.check.<name>``.

- 00 :mod:`.parabola` — predicted_regime, parabola_without_half, steps_to_tolerance, gd_loop
- 01 :mod:`.gradients` — gradient, loss_gradient, numerical_gradient, error_shrink_factors
- 02 :mod:`.linreg` — stability_limit, linreg_gradient, best_constant_step,
  lowest_loss_setting
- 03 :mod:`.sgd` — minibatches, steps_per_epoch, cosine_schedule, sgd_stability,
  robbins_monro
- 04 :mod:`.adaptive` — momentum_prediction, heavy_ball_limit, bias_correction, adam_step,
  adagrad_effective_lr
- 05 :mod:`.blend` — blend_delta, blended_sgd_lr, state_floats, article_a_methods,
  article_a_gradients
- 06 :mod:`.networks` — linear_backward, relu_backward, parameter_count, conv_pool_shape,
  maxpool_backward, boundary_width
- 07 :mod:`.fusion` — bag_of_words, late_fusion_logits, tensor_features, fourth_score,
  greater_prediction
- 08 :mod:`.multitask` — quiet_aux_weight, uncertainty_optimum, pcgrad_project,
  balancing_weight
- 09 :mod:`.efficiency` — slowest_batch_per_step, range_test_lr, early_stopping

Each check prints one line — ``✓ ...`` when the answer is right, or ``✗ ...`` saying what is
wrong and what to look at. A check never raises on an answer, however wrong (not answered yet,
``None``, NaN, a crash: see :mod:`.common`), nor on a problem argument the notebook computed and a
later cell overwrote (its ✗ line names the check's arguments and says to re-run the cells above),
so a student can keep working through the notebook; it returns nothing, so the cell shows only
that line.
"""

from .adaptive import (
    adagrad_effective_lr,
    adam_step,
    bias_correction,
    heavy_ball_limit,
    momentum_prediction,
)
from .blend import (
    article_a_gradients,
    article_a_methods,
    blend_delta,
    blended_sgd_lr,
    state_floats,
)
from .efficiency import early_stopping, range_test_lr, slowest_batch_per_step
from .fusion import (
    bag_of_words,
    fourth_score,
    greater_prediction,
    late_fusion_logits,
    tensor_features,
)
from .gradients import error_shrink_factors, gradient, loss_gradient, numerical_gradient
from .linreg import best_constant_step, linreg_gradient, lowest_loss_setting, stability_limit
from .multitask import balancing_weight, pcgrad_project, quiet_aux_weight, uncertainty_optimum
from .networks import (
    boundary_width,
    conv_pool_shape,
    linear_backward,
    maxpool_backward,
    parameter_count,
    relu_backward,
)
from .parabola import gd_loop, parabola_without_half, predicted_regime, steps_to_tolerance
from .sgd import cosine_schedule, minibatches, robbins_monro, sgd_stability, steps_per_epoch

__all__ = [
    "predicted_regime",
    "parabola_without_half",
    "steps_to_tolerance",
    "gd_loop",  # 00
    "gradient",
    "loss_gradient",
    "numerical_gradient",
    "error_shrink_factors",  # 01
    "stability_limit",
    "linreg_gradient",
    "best_constant_step",
    "lowest_loss_setting",  # 02
    "minibatches",
    "steps_per_epoch",
    "cosine_schedule",
    "sgd_stability",
    "robbins_monro",  # 03
    "momentum_prediction",
    "heavy_ball_limit",
    "bias_correction",
    "adam_step",
    "adagrad_effective_lr",  # 04
    "blend_delta",
    "blended_sgd_lr",
    "state_floats",  # 05
    "article_a_methods",
    "article_a_gradients",  # 05
    "linear_backward",
    "relu_backward",
    "parameter_count",
    "conv_pool_shape",
    "maxpool_backward",
    "boundary_width",  # 06
    "bag_of_words",
    "late_fusion_logits",
    "tensor_features",
    "fourth_score",
    "greater_prediction",  # 07
    "quiet_aux_weight",
    "uncertainty_optimum",
    "pcgrad_project",
    "balancing_weight",  # 08
    "slowest_batch_per_step",
    "range_test_lr",
    "early_stopping",  # 09
]
