"""Staff members and their skills."""
from flask import Blueprint

from appliance.api.framework import endpoint
from appliance.api.schemas import catalogue as schema
from appliance.api.schemas.common import Page
from appliance.api.views import staff_out, whole_page
from appliance.services import staff as staff_service
from appliance.services.lookup import fetch
from appliance.storage.models.catalogue import Staff

bp = Blueprint("staff", __name__)


@endpoint(bp, "GET", "/staff", summary="Staff members", permission="staff.read", query=schema.ListQuery,
          response=Page[schema.StaffOut])
def list_staff(actor, query):
    rows = Staff.select().order_by(Staff.sort_order, Staff.last_name, Staff.first_name)
    return whole_page(schema.StaffOut, rows, query.include_inactive, staff_out)


@endpoint(bp, "GET", "/staff/<staff_id>", summary="One staff member", permission="staff.read",
          response=schema.StaffOut)
def get_staff(actor, staff_id):
    return staff_out(fetch(Staff, staff_id))


@endpoint(bp, "POST", "/staff", summary="Add a staff member", permission="staff.write", body=schema.StaffIn,
          response=schema.StaffOut, status=201)
def create_staff(actor, body):
    return staff_out(staff_service.create_staff(actor, body.model_dump()))


@endpoint(bp, "PATCH", "/staff/<staff_id>", summary="Change or deactivate a staff member",
          permission="staff.write", body=schema.StaffPatch, response=schema.StaffOut)
def patch_staff(actor, staff_id, body):
    return staff_out(staff_service.update_staff(actor, staff_id, body.changes()))


def _skills_out(rows) -> schema.SkillsOut:
    return schema.SkillsOut(items=[schema.SkillOut(service_id=r.service_id, duration_min=r.duration_min,
                                                   price=r.price, price_max=r.price_max) for r in rows])


@endpoint(bp, "GET", "/staff/<staff_id>/skills", summary="Services the master performs",
          permission="staff.read", response=schema.SkillsOut)
def get_skills(actor, staff_id):
    fetch(Staff, staff_id)
    return _skills_out(staff_service.active_skills(staff_id))


@endpoint(bp, "PUT", "/staff/<staff_id>/skills", summary="Replace the services the master performs",
          permission="staff.write", body=schema.SkillsIn, response=schema.SkillsOut)
def put_skills(actor, staff_id, body):
    return _skills_out(staff_service.set_skills(actor, staff_id, body.model_dump()["skills"]))
