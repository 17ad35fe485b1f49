"""Access to background job progress pages: any signed-in person, for their own jobs only."""
ROUTES = {
    "pdfjobs.status": ("signed_in", {"job": "pdf_job"}),
    "pdfjobs.download": ("signed_in", {"job": "pdf_job"}),
    "jobs.status": ("signed_in", {"job": "pdf_job"}),
}


def seed(ids):
    ids["pdf_job"] = "no-such-job"
