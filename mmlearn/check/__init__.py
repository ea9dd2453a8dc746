"""Self-checks for the notebooks' exercises, one module per notebook; every check is
``mm.check.<name>``.

- 00 :mod:`.parabola` — gd_fastest_lr, gd_stability_limit, steps_to_tolerance
- 01 :mod:`.gradients` — gradient, loss_gradient, numerical_gradient
- 02 :mod:`.linreg` — stability_limit, linreg_gradient, slow_direction_steps
- 03 :mod:`.sgd` — minibatches, steps_per_epoch, cosine_schedule
- 04 :mod:`.adaptive` — optimal_momentum, adam_step, adagrad_effective_lr
- 05 :mod:`.blend` — blend_delta, blended_sgd_lr, state_floats, article_a_methods,
  article_a_gradients
- 06 :mod:`.networks` — linear_backward, relu_backward, parameter_count, conv_pool_shape,
  maxpool_backward, boundary_width
- 07 :mod:`.fusion` — bag_of_words, late_fusion_logits, tensor_features, fourth_score,
  greater_prediction
- 08 :mod:`.multitask` — pcgrad_project, uncertainty_loss, balancing_weight
- 09 :mod:`.efficiency` — lr_range_schedule, suggest_lr, early_stopping

Each check prints one line — ``✓ ...`` when the answer is right, or ``✗ ...`` saying what is
wrong and what to look at. A check never raises on an answer, however wrong (not answered yet,
``None``, NaN, a crash: see :mod:`.common`), so a student can keep working through the notebook,
and returns nothing, so the cell shows only that line.
"""

from .adaptive import adagrad_effective_lr, adam_step, optimal_momentum
from .blend import (
    article_a_gradients,
    article_a_methods,
    blend_delta,
    blended_sgd_lr,
    state_floats,
)
from .efficiency import early_stopping, lr_range_schedule, suggest_lr
from .fusion import (
    bag_of_words,
    fourth_score,
    greater_prediction,
    late_fusion_logits,
    tensor_features,
)
from .gradients import gradient, loss_gradient, numerical_gradient
from .linreg import linreg_gradient, slow_direction_steps, stability_limit
from .multitask import balancing_weight, pcgrad_project, uncertainty_loss
from .networks import (
    boundary_width,
    conv_pool_shape,
    linear_backward,
    maxpool_backward,
    parameter_count,
    relu_backward,
)
from .parabola import gd_fastest_lr, gd_stability_limit, steps_to_tolerance
from .sgd import cosine_schedule, minibatches, steps_per_epoch

__all__ = [
    "gd_fastest_lr",
    "gd_stability_limit",
    "steps_to_tolerance",  # 00
    "gradient",
    "loss_gradient",
    "numerical_gradient",  # 01
    "stability_limit",
    "linreg_gradient",
    "slow_direction_steps",  # 02
    "minibatches",
    "steps_per_epoch",
    "cosine_schedule",  # 03
    "optimal_momentum",
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
    "pcgrad_project",
    "uncertainty_loss",
    "balancing_weight",  # 08
    "lr_range_schedule",
    "suggest_lr",
    "early_stopping",  # 09
]
