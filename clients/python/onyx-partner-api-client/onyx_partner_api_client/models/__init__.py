""" Contains all the data models used in inputs/outputs """

from .accept_invitation import AcceptInvitation
from .activation_materials import ActivationMaterials
from .activation_ready_data import ActivationReadyData
from .advance_clock import AdvanceClock
from .alert_settings import AlertSettings
from .alert_settings_update import AlertSettingsUpdate
from .attempt import Attempt
from .author import Author
from .case_state import CaseState
from .case_status import CaseStatus
from .category import Category
from .checklist_item import ChecklistItem
from .clock_advanced import ClockAdvanced
from .closed_period import ClosedPeriod
from .comment import Comment
from .compliance import Compliance
from .compliance_requirement import ComplianceRequirement
from .country_code import CountryCode
from .coverage_type import CoverageType
from .create_case import CreateCase
from .create_comment import CreateComment
from .create_credential import CreateCredential
from .create_endpoint import CreateEndpoint
from .create_invitation import CreateInvitation
from .create_order import CreateOrder
from .create_order_metadata_type_0 import CreateOrderMetadataType0
from .create_refund import CreateRefund
from .created_credential import CreatedCredential
from .created_invitation import CreatedInvitation
from .credential import Credential
from .credential_event_data import CredentialEventData
from .credential_status import CredentialStatus
from .currency_code import CurrencyCode
from .currency_reconciliation import CurrencyReconciliation
from .delivery_status import DeliveryStatus
from .device_state import DeviceState
from .endpoint_with_secret import EndpointWithSecret
from .entry_type import EntryType
from .environment import Environment
from .event import Event
from .event_data import EventData
from .event_ref import EventRef
from .event_type import EventType
from .evidence import Evidence
from .evidence_details import EvidenceDetails
from .field_error import FieldError
from .get_open_api_document_response_200 import GetOpenApiDocumentResponse200
from .guidance_step import GuidanceStep
from .health import Health
from .install_guidance import InstallGuidance
from .install_links import InstallLinks
from .install_state import InstallState
from .invitation_status import InvitationStatus
from .invoice import Invoice
from .invoice_event_data import InvoiceEventData
from .invoice_line import InvoiceLine
from .invoice_origin import InvoiceOrigin
from .invoice_status import InvoiceStatus
from .item_input import ItemInput
from .json_without_nul_type_5 import JsonWithoutNulType5
from .ledger_entry import LedgerEntry
from .list_audit_log_actor_type import ListAuditLogActorType
from .live_access_event_data import LiveAccessEventData
from .live_readiness import LiveReadiness
from .live_request import LiveRequest
from .live_request_status import LiveRequestStatus
from .login_request import LoginRequest
from .login_response import LoginResponse
from .low_balance_alert import LowBalanceAlert
from .low_balance_data import LowBalanceData
from .low_balance_wallet import LowBalanceWallet
from .material_status import MaterialStatus
from .me import Me
from .member import Member
from .mismatch import Mismatch
from .mismatch_kind import MismatchKind
from .o_auth_error import OAuthError
from .order import Order
from .order_detail import OrderDetail
from .order_event_data import OrderEventData
from .order_item import OrderItem
from .order_metadata import OrderMetadata
from .order_snapshot import OrderSnapshot
from .order_state import OrderState
from .order_type import OrderType
from .package import Package
from .package_kind import PackageKind
from .package_status import PackageStatus
from .page_audit_entry import PageAuditEntry
from .page_audit_entry_data_item import PageAuditEntryDataItem
from .page_audit_entry_data_item_details import PageAuditEntryDataItemDetails
from .page_balance_point import PageBalancePoint
from .page_balance_point_data_item import PageBalancePointDataItem
from .page_credential import PageCredential
from .page_credential_data_item import PageCredentialDataItem
from .page_delivery import PageDelivery
from .page_delivery_data_item import PageDeliveryDataItem
from .page_event import PageEvent
from .page_event_data_item import PageEventDataItem
from .page_event_data_item_data import PageEventDataItemData
from .page_invitation import PageInvitation
from .page_invitation_data_item import PageInvitationDataItem
from .page_invoice import PageInvoice
from .page_invoice_data_item import PageInvoiceDataItem
from .page_ledger_entry import PageLedgerEntry
from .page_ledger_entry_data_item import PageLedgerEntryDataItem
from .page_member import PageMember
from .page_member_data_item import PageMemberDataItem
from .page_order import PageOrder
from .page_order_data_item import PageOrderDataItem
from .page_order_data_item_metadata import PageOrderDataItemMetadata
from .page_package import PagePackage
from .page_package_data_item import PagePackageDataItem
from .page_refund import PageRefund
from .page_refund_data_item import PageRefundDataItem
from .page_service import PageService
from .page_service_data_item import PageServiceDataItem
from .page_support_case import PageSupportCase
from .page_support_case_data_item import PageSupportCaseDataItem
from .page_usage_snapshot import PageUsageSnapshot
from .page_usage_snapshot_data_item import PageUsageSnapshotDataItem
from .page_webhook_endpoint import PageWebhookEndpoint
from .page_webhook_endpoint_data_item import PageWebhookEndpointDataItem
from .partner_choice import PartnerChoice
from .partner_choice_required import PartnerChoiceRequired
from .platform import Platform
from .priority import Priority
from .problem import Problem
from .readiness import Readiness
from .readiness_incomplete import ReadinessIncomplete
from .reconciliation import Reconciliation
from .recovery_action import RecoveryAction
from .recovery_path import RecoveryPath
from .recovery_request import RecoveryRequest
from .refund import Refund
from .refund_event_data import RefundEventData
from .refund_reason import RefundReason
from .refund_status import RefundStatus
from .replay_request import ReplayRequest
from .replayed import Replayed
from .requested_reason import RequestedReason
from .role import Role
from .rotate_credential import RotateCredential
from .rotate_secret import RotateSecret
from .sandbox_clock import SandboxClock
from .sandbox_decision import SandboxDecision
from .sandbox_scenario import SandboxScenario
from .service import Service
from .service_depleted_data import ServiceDepletedData
from .service_event_data import ServiceEventData
from .service_expiring_data import ServiceExpiringData
from .service_first_use_data import ServiceFirstUseData
from .service_snapshot import ServiceSnapshot
from .service_state import ServiceState
from .service_usage import ServiceUsage
from .step_kind import StepKind
from .support_case import SupportCase
from .support_case_detail import SupportCaseDetail
from .support_case_event_data import SupportCaseEventData
from .test_sent import TestSent
from .token_request import TokenRequest
from .token_response import TokenResponse
from .update_endpoint import UpdateEndpoint
from .update_member import UpdateMember
from .usage_report import UsageReport
from .usage_snapshot import UsageSnapshot
from .usage_source import UsageSource
from .usage_threshold_data import UsageThresholdData
from .wallet import Wallet
from .wallet_check import WalletCheck
from .wallet_list import WalletList
from .webhook_endpoint import WebhookEndpoint
from .webhook_endpoint_disabled_data import WebhookEndpointDisabledData
from .webhook_test_data import WebhookTestData

__all__ = (
    "AcceptInvitation",
    "ActivationMaterials",
    "ActivationReadyData",
    "AdvanceClock",
    "AlertSettings",
    "AlertSettingsUpdate",
    "Attempt",
    "Author",
    "CaseState",
    "CaseStatus",
    "Category",
    "ChecklistItem",
    "ClockAdvanced",
    "ClosedPeriod",
    "Comment",
    "Compliance",
    "ComplianceRequirement",
    "CountryCode",
    "CoverageType",
    "CreateCase",
    "CreateComment",
    "CreateCredential",
    "CreatedCredential",
    "CreatedInvitation",
    "CreateEndpoint",
    "CreateInvitation",
    "CreateOrder",
    "CreateOrderMetadataType0",
    "CreateRefund",
    "Credential",
    "CredentialEventData",
    "CredentialStatus",
    "CurrencyCode",
    "CurrencyReconciliation",
    "DeliveryStatus",
    "DeviceState",
    "EndpointWithSecret",
    "EntryType",
    "Environment",
    "Event",
    "EventData",
    "EventRef",
    "EventType",
    "Evidence",
    "EvidenceDetails",
    "FieldError",
    "GetOpenApiDocumentResponse200",
    "GuidanceStep",
    "Health",
    "InstallGuidance",
    "InstallLinks",
    "InstallState",
    "InvitationStatus",
    "Invoice",
    "InvoiceEventData",
    "InvoiceLine",
    "InvoiceOrigin",
    "InvoiceStatus",
    "ItemInput",
    "JsonWithoutNulType5",
    "LedgerEntry",
    "ListAuditLogActorType",
    "LiveAccessEventData",
    "LiveReadiness",
    "LiveRequest",
    "LiveRequestStatus",
    "LoginRequest",
    "LoginResponse",
    "LowBalanceAlert",
    "LowBalanceData",
    "LowBalanceWallet",
    "MaterialStatus",
    "Me",
    "Member",
    "Mismatch",
    "MismatchKind",
    "OAuthError",
    "Order",
    "OrderDetail",
    "OrderEventData",
    "OrderItem",
    "OrderMetadata",
    "OrderSnapshot",
    "OrderState",
    "OrderType",
    "Package",
    "PackageKind",
    "PackageStatus",
    "PageAuditEntry",
    "PageAuditEntryDataItem",
    "PageAuditEntryDataItemDetails",
    "PageBalancePoint",
    "PageBalancePointDataItem",
    "PageCredential",
    "PageCredentialDataItem",
    "PageDelivery",
    "PageDeliveryDataItem",
    "PageEvent",
    "PageEventDataItem",
    "PageEventDataItemData",
    "PageInvitation",
    "PageInvitationDataItem",
    "PageInvoice",
    "PageInvoiceDataItem",
    "PageLedgerEntry",
    "PageLedgerEntryDataItem",
    "PageMember",
    "PageMemberDataItem",
    "PageOrder",
    "PageOrderDataItem",
    "PageOrderDataItemMetadata",
    "PagePackage",
    "PagePackageDataItem",
    "PageRefund",
    "PageRefundDataItem",
    "PageService",
    "PageServiceDataItem",
    "PageSupportCase",
    "PageSupportCaseDataItem",
    "PageUsageSnapshot",
    "PageUsageSnapshotDataItem",
    "PageWebhookEndpoint",
    "PageWebhookEndpointDataItem",
    "PartnerChoice",
    "PartnerChoiceRequired",
    "Platform",
    "Priority",
    "Problem",
    "Readiness",
    "ReadinessIncomplete",
    "Reconciliation",
    "RecoveryAction",
    "RecoveryPath",
    "RecoveryRequest",
    "Refund",
    "RefundEventData",
    "RefundReason",
    "RefundStatus",
    "Replayed",
    "ReplayRequest",
    "RequestedReason",
    "Role",
    "RotateCredential",
    "RotateSecret",
    "SandboxClock",
    "SandboxDecision",
    "SandboxScenario",
    "Service",
    "ServiceDepletedData",
    "ServiceEventData",
    "ServiceExpiringData",
    "ServiceFirstUseData",
    "ServiceSnapshot",
    "ServiceState",
    "ServiceUsage",
    "StepKind",
    "SupportCase",
    "SupportCaseDetail",
    "SupportCaseEventData",
    "TestSent",
    "TokenRequest",
    "TokenResponse",
    "UpdateEndpoint",
    "UpdateMember",
    "UsageReport",
    "UsageSnapshot",
    "UsageSource",
    "UsageThresholdData",
    "Wallet",
    "WalletCheck",
    "WalletList",
    "WebhookEndpoint",
    "WebhookEndpointDisabledData",
    "WebhookTestData",
)
