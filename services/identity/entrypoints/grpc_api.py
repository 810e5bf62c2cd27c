"""identity's gRPC servicer: translates requests to use cases and results to responses.

Authentication happened in the interceptor (every method but the public ones); each use case
authorizes against the shared policy (ejournal_platform.authz) and the resource's scope.
"""

from __future__ import annotations

import json
from datetime import UTC
from typing import Any

from ejournal.identity.v1 import identity_service_pb2 as pb
from ejournal.identity.v1 import identity_service_pb2_grpc as pb_grpc
from ejournal_platform.authz import authenticated, require
from ejournal_platform.pagination import page_request
from services.identity.entrypoints import translate as m
from services.identity.service_layer import (
    auth,
    contacts,
    credentials,
    login_requests,
    people,
    roles,
    substitutions,
)
from services.identity.service_layer.deps import Deps

Ctx = Any


class IdentityServicer(pb_grpc.IdentityServiceServicer):
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    # -- tokens -------------------------------------------------------------------------------------
    async def Login(self, request: pb.LoginRequest, context: Ctx) -> pb.LoginResponse:
        cmd = auth.Login(
            login=request.login,
            password=request.password,
            client_address=request.client_address,
            user_agent=request.user_agent,
        )
        pair = await auth.login(self.deps, cmd)
        return pb.LoginResponse(
            access_token=pair.access_token,
            refresh_token=pair.refresh_token,
            access_expires_in_seconds=pair.expires_in,
            person_id=pair.person_id,
        )

    async def Refresh(self, request: pb.RefreshRequest, context: Ctx) -> pb.RefreshResponse:
        pair = await auth.refresh(self.deps, auth.Refresh(refresh_token=request.refresh_token))
        return pb.RefreshResponse(
            access_token=pair.access_token,
            refresh_token=pair.refresh_token,
            access_expires_in_seconds=pair.expires_in,
        )

    async def Logout(self, request: pb.LogoutRequest, context: Ctx) -> pb.LogoutResponse:
        await auth.logout(self.deps, authenticated())
        return pb.LogoutResponse()

    async def GetKeySet(self, request: pb.GetKeySetRequest, context: Ctx) -> pb.GetKeySetResponse:
        return pb.GetKeySetResponse(jwks_json=json.dumps(self.deps.keys.jwks(), sort_keys=True))

    async def ListRevokedSessions(
        self, request: pb.ListRevokedSessionsRequest, context: Ctx
    ) -> pb.ListRevokedSessionsResponse:
        since = request.since.ToDatetime(tzinfo=UTC) if request.HasField("since") else None
        found = await auth.revoked_sessions(self.deps, since)
        reply = pb.ListRevokedSessionsResponse(
            session_ids=found.session_ids, keep_seconds=int(found.keep_seconds)
        )
        reply.as_of.FromDatetime(found.as_of)
        return reply

    async def RotateSigningKey(
        self, request: pb.RotateSigningKeyRequest, context: Ctx
    ) -> pb.RotateSigningKeyResponse:
        require(authenticated(), "keys.rotate")
        return pb.RotateSigningKeyResponse(kid=await self.deps.keys.rotate())

    async def IssueServiceToken(
        self, request: pb.IssueServiceTokenRequest, context: Ctx
    ) -> pb.IssueServiceTokenResponse:
        token, ttl = auth.issue_service_token(self.deps, request.service_name, request.client_secret)
        return pb.IssueServiceTokenResponse(access_token=token, access_expires_in_seconds=ttl)

    async def WhoAmI(self, request: pb.WhoAmIRequest, context: Ctx) -> pb.WhoAmIResponse:
        principal = authenticated()
        person = await auth.who_am_i(self.deps, principal)
        return pb.WhoAmIResponse(
            person_id=principal.subject,
            login=person.login if person else "",
            full_name=person.name.full if person else principal.subject,
            language=person.language if person else "",
            profile_code=person.profile_code if person else "",
            may_change_own_password=person is not None and credentials.may_change_own_password(person),
            university_id=person.placement.university_id if person else "",
            roles=[
                pb.RoleInScope(role=g.role, scope_type=g.scope_type, scope_id=g.scope_id)
                for g in principal.roles
            ],
        )

    # -- people and accounts ------------------------------------------------------------------------
    async def CreatePerson(self, request: pb.CreatePersonRequest, context: Ctx) -> pb.CreatePersonResponse:
        cmd = people.CreatePerson(
            request_id=request.request_id.strip(),
            login=request.login,
            last_name=request.last_name,
            first_name=request.first_name,
            patronymic=request.patronymic,
            language=request.language,
            category=m.CATEGORY_FROM_PB.get(request.category),
            placement=m.placement_from(request.placement),
            profile_code=request.profile_code,
            email=request.email,
            personal_number=request.personal_number,
        )
        person = await people.create_person(self.deps, authenticated(), cmd)
        return pb.CreatePersonResponse(person=m.person_to_pb(person))

    async def GetPerson(self, request: pb.GetPersonRequest, context: Ctx) -> pb.GetPersonResponse:
        person = await people.get_person(self.deps, authenticated(), request.person_id)
        return pb.GetPersonResponse(person=m.person_to_pb(person))

    async def FindPeople(self, request: pb.FindPeopleRequest, context: Ctx) -> pb.FindPeopleResponse:
        size = request.page_size or people.FIND_DEFAULT  # a typeahead's page is short unless asked
        page = page_request(size, request.page_token, {"query": request.query.strip()})
        found, next_token = await people.find_people(self.deps, authenticated(), request.query, page)
        return pb.FindPeopleResponse(people=[m.person_to_pb(p) for p in found], next_page_token=next_token)

    async def UpdatePerson(self, request: pb.UpdatePersonRequest, context: Ctx) -> pb.UpdatePersonResponse:
        cmd = people.UpdatePerson(
            person_id=request.person_id,
            expected_version=request.expected_version,
            last_name=request.last_name,
            first_name=request.first_name,
            patronymic=request.patronymic,
            email=request.email,
            placement=m.placement_from(request.placement),
        )
        person = await people.update_person(self.deps, authenticated(), cmd)
        return pb.UpdatePersonResponse(person=m.person_to_pb(person))

    async def SetAccountStatus(
        self, request: pb.SetAccountStatusRequest, context: Ctx
    ) -> pb.SetAccountStatusResponse:
        cmd = people.SetAccountStatus(
            person_id=request.person_id, status=m.STATUS_FROM_PB.get(request.status), reason=request.reason
        )
        person = await people.set_account_status(self.deps, authenticated(), cmd)
        return pb.SetAccountStatusResponse(person=m.person_to_pb(person))

    async def GetPersonHistory(
        self, request: pb.GetPersonHistoryRequest, context: Ctx
    ) -> pb.GetPersonHistoryResponse:
        page = page_request(request.page_size, request.page_token, {"person_id": request.person_id})
        rows, next_token = await people.person_history(self.deps, authenticated(), request.person_id, page)
        return pb.GetPersonHistoryResponse(
            entries=[m.audit_to_pb(row) for row in rows], next_page_token=next_token
        )

    async def IssueCredentials(
        self, request: pb.IssueCredentialsRequest, context: Ctx
    ) -> pb.IssueCredentialsResponse:
        cmd = credentials.IssueCredentials(person_id=request.person_id, password=request.password)
        login, generated = await credentials.issue_credentials(self.deps, authenticated(), cmd)
        return pb.IssueCredentialsResponse(login=login, generated_password=generated)

    async def ChangeOwnPassword(
        self, request: pb.ChangeOwnPasswordRequest, context: Ctx
    ) -> pb.ChangeOwnPasswordResponse:
        cmd = credentials.ChangeOwnPassword(
            current_password=request.current_password, new_password=request.new_password
        )
        await credentials.change_own_password(self.deps, authenticated(), cmd)
        return pb.ChangeOwnPasswordResponse()

    async def ListLoginAttempts(
        self, request: pb.ListLoginAttemptsRequest, context: Ctx
    ) -> pb.ListLoginAttemptsResponse:
        # `limit` is the older name of `page_size` (kept for clients that send it).
        size = request.page_size or max(0, min(request.limit, 500))
        page = page_request(size, request.page_token, {"person_id": request.person_id})
        rows, next_token = await credentials.list_login_attempts(
            self.deps, authenticated(), request.person_id, page
        )
        return pb.ListLoginAttemptsResponse(
            attempts=[m.attempt_to_pb(row) for row in rows], next_page_token=next_token
        )

    # -- roles --------------------------------------------------------------------------------------
    async def GrantRole(self, request: pb.GrantRoleRequest, context: Ctx) -> pb.GrantRoleResponse:
        cmd = roles.GrantRole(
            person_id=request.person_id,
            role=request.role,
            scope_type=request.scope_type,
            scope_id=request.scope_id,
            valid_from=request.valid_from,
            valid_until=request.valid_until,
        )
        assignment = await roles.grant_role(self.deps, authenticated(), cmd)
        return pb.GrantRoleResponse(assignment=m.assignment_to_pb(assignment))

    async def RevokeRole(self, request: pb.RevokeRoleRequest, context: Ctx) -> pb.RevokeRoleResponse:
        cmd = roles.RevokeRole(assignment_id=request.assignment_id, reason=request.reason)
        assignment = await roles.revoke_role(self.deps, authenticated(), cmd)
        return pb.RevokeRoleResponse(assignment=m.assignment_to_pb(assignment))

    async def ListRoles(self, request: pb.ListRolesRequest, context: Ctx) -> pb.ListRolesResponse:
        found = await roles.list_roles(self.deps, authenticated(), request.person_id)
        return pb.ListRolesResponse(assignments=[m.assignment_to_pb(a) for a in found])

    # -- login requests -----------------------------------------------------------------------------
    async def SubmitLoginRequest(
        self, request: pb.SubmitLoginRequestRequest, context: Ctx
    ) -> pb.SubmitLoginRequestResponse:
        cmd = login_requests.SubmitLoginRequest(
            request_id=request.request_id.strip(),
            department_id=request.department_id,
            faculty_id=request.faculty_id,
            university_id=request.university_id,
            last_name=request.last_name,
            first_name=request.first_name,
            patronymic=request.patronymic,
            language=request.language,
            position=request.position,
            email=request.email,
            outgoing_number=request.outgoing_number,
            profile_code=request.profile_code,
        )
        row = await login_requests.submit(self.deps, authenticated(), cmd)
        return pb.SubmitLoginRequestResponse(login_request=m.login_request_to_pb(row))

    async def ListLoginRequests(
        self, request: pb.ListLoginRequestsRequest, context: Ctx
    ) -> pb.ListLoginRequestsResponse:
        status = m.LR_STATUS_FROM_PB.get(request.status)
        filters = {"department_id": request.department_id, "status": request.status}
        page = page_request(request.page_size, request.page_token, filters)
        rows, next_token = await login_requests.list_requests(
            self.deps, authenticated(), request.department_id, status, page
        )
        return pb.ListLoginRequestsResponse(
            login_requests=[m.login_request_to_pb(row) for row in rows], next_page_token=next_token
        )

    async def DecideLoginRequest(
        self, request: pb.DecideLoginRequestRequest, context: Ctx
    ) -> pb.DecideLoginRequestResponse:
        cmd = login_requests.DecideLoginRequest(
            login_request_id=request.login_request_id,
            approve=request.approve,
            login=request.login,
            reason=request.reason,
        )
        row, password = await login_requests.decide(self.deps, authenticated(), cmd)
        return pb.DecideLoginRequestResponse(
            login_request=m.login_request_to_pb(row), generated_password=password
        )

    # -- substitutions ------------------------------------------------------------------------------
    async def AppointSubstitute(
        self, request: pb.AppointSubstituteRequest, context: Ctx
    ) -> pb.AppointSubstituteResponse:
        cmd = substitutions.AppointSubstitute(
            request_id=request.request_id.strip(),
            absent_teacher_id=request.absent_teacher_id,
            substitute_id=request.substitute_id,
            department_id=request.department_id,
            journal_ids=tuple(request.journal_ids),
            course_unit_ids=tuple(request.course_unit_ids),
            starts_on=request.starts_on,
            ends_on=request.ends_on,
            protocol_number=request.decision.protocol_number,
            protocol_date=request.decision.protocol_date,
            reason=request.reason,
        )
        found = await substitutions.appoint(self.deps, authenticated(), cmd)
        names = await substitutions.teacher_names(self.deps, [found])
        return pb.AppointSubstituteResponse(substitution=m.substitution_to_pb(found, names))

    async def EndSubstitution(
        self, request: pb.EndSubstitutionRequest, context: Ctx
    ) -> pb.EndSubstitutionResponse:
        cmd = substitutions.EndSubstitution(substitution_id=request.substitution_id, reason=request.reason)
        found = await substitutions.end(self.deps, authenticated(), cmd)
        names = await substitutions.teacher_names(self.deps, [found])
        return pb.EndSubstitutionResponse(substitution=m.substitution_to_pb(found, names))

    async def ListSubstitutions(
        self, request: pb.ListSubstitutionsRequest, context: Ctx
    ) -> pb.ListSubstitutionsResponse:
        filters = [request.department_id, request.teacher_id, request.active_on]
        page = page_request(request.page_size, request.page_token, filters)
        found, next_token = await substitutions.list_substitutions(
            self.deps, authenticated(), request.department_id, request.teacher_id, request.active_on, page
        )
        names = await substitutions.teacher_names(self.deps, found)
        return pb.ListSubstitutionsResponse(
            substitutions=[m.substitution_to_pb(s, names) for s in found], next_page_token=next_token
        )

    # -- contacts and notice preferences (issue 17) --------------------------------------------------
    async def GetContacts(self, request: pb.GetContactsRequest, context: Ctx) -> pb.GetContactsResponse:
        found = await contacts.get_contacts(self.deps, authenticated(), request.person_id)
        return pb.GetContactsResponse(contacts=m.contacts_to_pb(found))

    async def UpdateContacts(
        self, request: pb.UpdateContactsRequest, context: Ctx
    ) -> pb.UpdateContactsResponse:
        cmd = contacts.UpdateContacts(m.contacts_from(request), request.expected_version)
        saved = await contacts.update_contacts(self.deps, authenticated(), cmd)
        return pb.UpdateContactsResponse(contacts=m.contacts_to_pb(saved))

    async def StartTelegramLink(
        self, request: pb.StartTelegramLinkRequest, context: Ctx
    ) -> pb.StartTelegramLinkResponse:
        code, ttl = await contacts.start_telegram_link(self.deps, authenticated())
        return pb.StartTelegramLinkResponse(code=code, expires_in_seconds=ttl)

    async def LinkTelegram(self, request: pb.LinkTelegramRequest, context: Ctx) -> pb.LinkTelegramResponse:
        cmd = contacts.LinkTelegram(code=request.code, chat_id=request.chat_id)
        person_id = await contacts.link_telegram(self.deps, authenticated(), cmd)
        return pb.LinkTelegramResponse(person_id=person_id)

    async def ResolveRecipients(
        self, request: pb.ResolveRecipientsRequest, context: Ctx
    ) -> pb.ResolveRecipientsResponse:
        query = contacts.RecipientQuery(
            person_ids=tuple(request.person_ids),
            role=request.role,
            scope_type=request.scope_type,
            scope_id=request.scope_id,
            parents_of_student_ids=tuple(request.parents_of_student_ids),
        )
        found = await contacts.resolve_recipients(self.deps, authenticated(), query)
        recipients = [m.recipient_to_pb(c, name, university) for c, name, university in found]
        return pb.ResolveRecipientsResponse(recipients=recipients)
