"""The ground rules, shown as the first step of a member's first contribution to a set."""

from __future__ import annotations

from slack_sdk.models.blocks import CheckboxesElement, ContextBlock, InputBlock, Option, SectionBlock
from slack_sdk.models.views import View

from handlers.blocks.common import escape, modal_title, mrkdwn, plain
from handlers.ids import ActionId, BlockId, CallbackId

AGREE = "agree"


def build_ground_rules_modal(*, set_name: str, rules: str, private_metadata: str) -> View:
    return View(
        type="modal",
        callback_id=CallbackId.GROUND_RULES,
        title=modal_title("Ground rules"),
        submit=plain("Continue"),
        close=plain("Cancel"),
        private_metadata=private_metadata,
        blocks=[
            SectionBlock(
                text=mrkdwn(
                    f"Before your first contribution to *{escape(set_name)}*, here is what its members agree to. "
                    "A set works as a safe place to bring a real problem only when everyone keeps to it."
                )
            ),
            SectionBlock(text=mrkdwn(escape(rules))),
            InputBlock(
                block_id=BlockId.GROUND_RULES_AGREE,
                label=plain("Your agreement"),
                element=CheckboxesElement(
                    action_id=ActionId.GROUND_RULES_AGREE,
                    options=[Option(value=AGREE, label="I agree to keep to these ground rules")],
                ),
            ),
            ContextBlock(elements=[mrkdwn("You are asked once per set. Your form comes next.")]),
        ],
    )
