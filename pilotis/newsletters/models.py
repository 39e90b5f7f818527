"""The school's flash'infos: drafted from what happened, edited, published by e-mail, page and PDF."""
